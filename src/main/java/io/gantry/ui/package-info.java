/**
 * The JavaFX desktop UI: FXML views, thin controllers, view models with read-only properties and
 * command methods, cell factories. The only package that imports {@code javafx}.
 *
 * <p>Background work goes through the one executor handed in by the composition root and
 * {@link io.gantry.ui.FxTasks}, whose callbacks run on the FX thread; nothing blocks the FX
 * thread.
 *
 * <p>Text from peers (tags, names, created-by, labels, search results, file names in a layer, an
 * engine's status and delete lines) reaches cells, lists and labels through
 * {@link io.gantry.ui.PeerCells}, i.e. {@link io.gantry.core.PeerText#clean}.
 *
 * <p>The first frame waits for no store: the main window's view model holds its listings and
 * probes until that frame is laid out ({@code MainViewModel.holdLoading}/{@code startLoading}),
 * and views that are not visible at first (the details pane until an image is selected, the
 * Layers tab) are built when first needed.
 *
 * <p>Without a GPU device node {@link io.gantry.ui.RenderingPipeline} starts the toolkit on the
 * software pipeline, so no OpenGL library is loaded only to be refused (about 50 MB resident).
 *
 * <p>The rail shows, under the endpoints, a containerd's namespace selector and, in {@code k8s.io},
 * the node's image-filesystem gauge ({@code NodeGauge}) with the kubelet's GC thresholds.
 */
package io.gantry.ui;
