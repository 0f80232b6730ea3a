package io.gantry.ui.cluster;

import io.gantry.ui.PeerCells;
import java.util.function.Consumer;
import javafx.collections.ObservableList;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;

/** A context in a cluster chooser: its name, "(current)" for the kubeconfig's current one. */
final class ContextCell extends ListCell<ClusterItem> {

    /** A cluster chooser over {@code contexts}, {@code chosen} selected, calling {@code onChoose} with each new choice. */
    static ComboBox<ClusterItem> chooser(String id, ObservableList<ClusterItem> contexts, ClusterItem chosen,
                                         Consumer<ClusterItem> onChoose) {
        ComboBox<ClusterItem> cluster = new ComboBox<>(contexts);
        cluster.setId(id);
        cluster.setCellFactory(list -> new ContextCell());
        cluster.setButtonCell(new ContextCell());
        cluster.getSelectionModel().select(chosen);
        cluster.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                onChoose.accept(now);
            }
        });
        return cluster;
    }

    @Override
    protected void updateItem(ClusterItem item, boolean empty) {
        super.updateItem(item, empty);
        setText(empty || item == null ? null : PeerCells.text(item.context().name())
                + (item.context().current() ? " (current)" : ""));
    }
}
