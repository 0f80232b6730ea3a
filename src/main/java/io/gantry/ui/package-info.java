/**
 * The JavaFX desktop UI: FXML views, thin controllers, view models with read-only properties and
 * command methods, cell factories. The only package that imports {@code javafx}.
 *
 * <p>Background work goes through the one executor handed in by the composition root and
 * {@link io.gantry.ui.FxTasks}, whose callbacks run on the FX thread; nothing blocks the FX
 * thread.
 */
package io.gantry.ui;
