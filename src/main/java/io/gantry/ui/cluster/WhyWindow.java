package io.gantry.ui.cluster;

import io.gantry.engine.cluster.ClusterPod;
import io.gantry.engine.cluster.PullFailures;
import io.gantry.service.PodRegistryCheck;
import io.gantry.ui.PeerCells;
import io.gantry.ui.Views;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * "Why does it not pull?" for one pod (issue 16), opened where a pod is shown (the Where and
 * pull-policy windows): each failing image with its state and cause, what to do, the kubelet's own
 * words, and what the registry said when Gantry asked it with the pod's pull secrets
 * ({@code #why-failures}); Ask again ({@code #why-again}). Bound to {@link WhyViewModel}; built in code.
 */
public final class WhyWindow {

    private final WhyViewModel model;

    private WhyWindow(WhyViewModel model) {
        this.model = model;
    }

    /** Opens the window next to {@code owner} and starts reading. */
    public static Stage open(Window owner, WhyViewModel model) {
        WhyWindow window = new WhyWindow(model);
        Stage stage = Views.showSecondary(owner, "Why does " + PeerCells.text(model.podName()) + " not pull?",
                window.build(), 820, 520);
        model.explain();
        return stage;
    }

    /**
     * The "Why does it not pull?…" button of a window that shows pods: enabled while {@code chosen}
     * is a pod of the cluster whose image is failing to pull (a waiting reason such as
     * ImagePullBackOff); {@code open} gets that pod.
     */
    static Button button(String id, ObservableValue<Optional<ClusterPod.PodImage>> chosenImage,
                         ObservableValue<Optional<ClusterPod>> chosenPod, Consumer<ClusterPod> open) {
        Button button = new Button("Why does it not pull?…");
        button.setId(id);
        button.setTooltip(new javafx.scene.control.Tooltip("The reason from the pod's status and events, what to do, "
                + "and what the registry says when Gantry asks it with the pod's pull secrets"));
        button.disableProperty().bind(Bindings.createBooleanBinding(() -> chosenImage.getValue() == null
                || chosenImage.getValue().flatMap(ClusterPod.PodImage::waitingReason)
                .filter(PullFailures.PULL_REASONS::contains).isEmpty(), chosenImage));
        button.setOnAction(event -> Optional.ofNullable(chosenPod.getValue()).flatMap(p -> p).ifPresent(open));
        button.setMinWidth(Region.USE_PREF_SIZE);
        return button;
    }

    private VBox build() {
        Label title = new Label("Why does " + PeerCells.text(model.podName()) + " not pull? · "
                + PeerCells.text(model.context().name()));
        title.getStyleClass().add("title-3");
        title.setWrapText(true);
        title.setMinHeight(Region.USE_PREF_SIZE);
        Label status = new Label();
        status.setId("why-status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(Bindings.createStringBinding(() -> !model.errorProperty().get().isEmpty()
                        ? model.errorProperty().get() : model.workingProperty().get()
                        ? "Reading the pod and its events, then asking the registry…" : model.statusProperty().get(),
                model.errorProperty(), model.workingProperty(), model.statusProperty()));
        model.errorProperty().subscribe(error -> {
            status.getStyleClass().remove("danger");
            if (!error.isEmpty()) {
                status.getStyleClass().add("danger");
            }
        });
        Button again = new Button("Ask again");
        again.setId("why-again");
        again.disableProperty().bind(model.workingProperty());
        again.setOnAction(event -> model.explain());
        HBox bar = new HBox(8, status, again);
        bar.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(status, Priority.ALWAYS);
        status.setMaxWidth(Double.MAX_VALUE);

        VBox blocks = new VBox(14);
        blocks.setId("why-failures");
        blocks.setPadding(new Insets(4, 8, 4, 0));
        model.failures().subscribe(() -> blocks.getChildren().setAll(model.failures().stream().map(WhyWindow::block).toList()));
        ScrollPane scroll = new ScrollPane(blocks);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        VBox root = new VBox(10, title, bar, scroll);
        root.setPadding(new Insets(12));
        root.setId("why-view");
        return root;
    }

    /** One failing image: what it is, what to do, the kubelet's words, the registry's verdict. */
    private static VBox block(WhyViewModel.Explained explained) {
        PullFailures.PullFailure failure = explained.failure();
        Label head = line(failure.image().label() + ": " + failure.image().image() + " — " + failure.state() + ": "
                + failure.cause());
        head.getStyleClass().addAll("title-4", "danger");
        VBox block = new VBox(4, head, line("What to do: " + failure.whatToDo()));
        if (!failure.kubeletSaid().isBlank()) {
            Label said = line("The kubelet said: " + failure.kubeletSaid());
            said.getStyleClass().add("endpoint-detail");
            block.getChildren().add(said);
        }
        explained.registry().ifPresent(verdict -> {
            block.getChildren().add(line("Gantry asked the registry: " + verdict.detail() + "."));
            if (!verdict.unreadableSecrets().isEmpty()) {
                block.getChildren().add(line("Not used (missing, or not readable with your permissions): secret "
                        + String.join(", ", verdict.unreadableSecrets()) + "."));
            }
        });
        block.getStyleClass().add("why-failure");
        return block;
    }

    private static Label line(String text) {
        Label label = new Label(PeerCells.text(text));
        label.setWrapText(true);
        label.setMinHeight(Region.USE_PREF_SIZE);
        return label;
    }

    /** The outcome's name, for tests and tooltips. */
    static String outcome(Optional<PodRegistryCheck.Verdict> verdict) {
        return verdict.map(v -> v.outcome().name()).orElse("not asked");
    }
}
