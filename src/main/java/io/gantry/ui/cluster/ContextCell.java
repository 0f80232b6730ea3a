package io.gantry.ui.cluster;

import io.gantry.ui.PeerCells;
import javafx.scene.control.ListCell;

/** A context in a cluster chooser: its name, "(current)" for the kubeconfig's current one. */
final class ContextCell extends ListCell<ClusterItem> {
    @Override
    protected void updateItem(ClusterItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty || item == null ? null : PeerCells.text(item.context().name())
                + (item.context().current() ? " (current)" : ""));
    }
}
