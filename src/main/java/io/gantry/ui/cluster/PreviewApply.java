package io.gantry.ui.cluster;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;

/**
 * The Preview and Apply buttons of a window that changes the cluster (the pre-puller, the pull
 * secret): Preview is the default button (Return) and shows what would change; Apply does only what
 * was previewed. Both wait while the window is at work.
 *
 * @param preview {@code #PREFIX-preview}
 * @param apply   {@code #PREFIX-apply}
 */
record PreviewApply(Button preview, Button apply) {

    /**
     * @param prefix    the buttons' ids' prefix ({@code prepull}, {@code secret})
     * @param working   true while the window reads or writes the cluster
     * @param previewed true when there is a preview to apply
     * @param onPreview what Preview does
     * @param onApply   what Apply does
     * @param applies   what Apply does, said in its tooltip
     */
    static PreviewApply of(String prefix, ObservableBooleanValue working, ObservableBooleanValue previewed,
                           Runnable onPreview, Runnable onApply, String applies) {
        Button preview = new Button("Preview");
        preview.setId(prefix + "-preview");
        preview.setDefaultButton(true);
        preview.disableProperty().bind(Bindings.createBooleanBinding(working::get, working));
        preview.setOnAction(event -> onPreview.run());
        Button apply = new Button("Apply");
        apply.setId(prefix + "-apply");
        apply.setTooltip(new Tooltip(applies));
        apply.disableProperty().bind(Bindings.createBooleanBinding(() -> working.get() || !previewed.get(), working, previewed));
        apply.setOnAction(event -> onApply.run());
        return new PreviewApply(preview, apply);
    }
}
