package io.gantry.ui;

import io.gantry.core.PeerText;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.util.Callback;

/**
 * Peers' words are data: every table cell, list row and label that shows text from a registry, an
 * engine or an archive (tags, names, created-by, labels, search results, file names in a layer,
 * an engine's status lines) shows it through {@link PeerText#clean}: no control character, no
 * escape sequence, no bidi override that would disguise a name, no credential.
 */
public final class PeerCells {

    private PeerCells() {
    }

    /** A cell value factory: the row's value, cleaned when it is text (or a list of texts). */
    public static <S, T> Callback<TableColumn.CellDataFeatures<S, T>, ObservableValue<T>> cell(Function<S, T> getter) {
        return features -> new ReadOnlyObjectWrapper<>(clean(getter.apply(features.getValue())));
    }

    /** {@code value} cleaned when it is a string or a list of strings, else unchanged. */
    @SuppressWarnings("unchecked")
    public static <T> T clean(T value) {
        if (value instanceof String text) {
            return (T) PeerText.clean(text);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return (T) list.stream().map(s -> PeerText.clean((String) s)).toList();
        }
        return value;
    }

    /** Text for a label. */
    public static String text(String text) {
        return PeerText.clean(text);
    }

    /** A list cell showing its item's text cleaned. */
    public static <T> Callback<ListView<T>, ListCell<T>> listCells() {
        return view -> new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : PeerText.clean(item.toString()));
            }
        };
    }
}
