package io.gantry.ui.cluster;

import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.core.PeerText;
import io.gantry.engine.RegistryLogin;
import io.gantry.engine.cluster.Cluster;
import io.gantry.engine.cluster.KubeContext;
import io.gantry.engine.cluster.PullSecret;
import io.gantry.engine.cluster.PullSecretReferences;
import io.gantry.ui.FxTasks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Image pull secrets for one cluster (issue 16), as {@code gantry kube pull-secret} and
 * {@code gantry kube secrets} do them: the registries of the user's Docker credentials (config.json
 * {@code auths}, {@code credHelpers}, what the {@code credsStore} lists) to choose from, a
 * {@code kubernetes.io/dockerconfigjson} secret of the chosen ones' logins previewed as YAML with the
 * data redacted ({@link PullSecret#redactedYaml()}), applied on request and optionally added to a
 * service account's {@code imagePullSecrets}; and which pods and service accounts reference which
 * pull secrets, missing ones first ({@link PullSecretReferences#check}).
 *
 * <p>The logins are looked up on a worker each time (a credential helper may run) and go only into
 * the secret sent to the API server: nothing here keeps, shows or logs them.
 */
public final class PullSecretViewModel {

    private final ClusterAccess access;
    private final FxTasks tasks;
    private final KubeContext context;
    private final ObservableList<String> registries = FXCollections.observableArrayList();
    private final Map<String, BooleanProperty> chosen = new LinkedHashMap<>();
    private final StringProperty namespace = new SimpleStringProperty();
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty serviceAccount = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper preview = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper working = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<PullSecretReferences.Reference> references = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper referencesStatus = new ReadOnlyStringWrapper("");
    private long asks;
    private long referenceAsks;

    public PullSecretViewModel(ClusterAccess access, FxTasks tasks, KubeContext context) {
        this.access = access;
        this.tasks = tasks;
        this.context = context;
        namespace.set(context.namespaceOrDefault());
        // Apply sends what was previewed: a change of any choice asks for a new preview
        namespace.addListener(obs -> choicesChanged());
        name.addListener(obs -> choicesChanged());
        serviceAccount.addListener(obs -> choicesChanged());
    }

    private void choicesChanged() {
        if (!working.get()) {
            preview.set("");
            status.set("");
        }
    }

    public KubeContext context() {
        return context;
    }

    /** The registries the user's Docker credentials name, sorted; filled by {@link #loadRegistries()}. */
    public ObservableList<String> registries() {
        return registries;
    }

    /** Whether {@code registry} goes into the secret. */
    public BooleanProperty chosen(String registry) {
        return chosen.computeIfAbsent(registry, r -> {
            BooleanProperty property = new SimpleBooleanProperty(false);
            property.addListener(obs -> choicesChanged());
            return property;
        });
    }

    /** The namespace the secret goes into and whose references are listed (the context's at first). */
    public StringProperty namespaceProperty() {
        return namespace;
    }

    /** The secret's name; blank: {@code pull-REGISTRY} of the first registry chosen. */
    public StringProperty nameProperty() {
        return name;
    }

    /** A service account to add the secret to when applied; blank: none. */
    public StringProperty serviceAccountProperty() {
        return serviceAccount;
    }

    /** The secret of the last preview or apply as YAML, its data redacted; empty once a choice changes (Apply needs it). */
    public ReadOnlyStringProperty previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** What the last apply did. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the last step could not be done (no class names, with what to do); empty when it was. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    /** The pull-secret references of the namespace, problems first; filled by {@link #loadReferences()}. */
    public ObservableList<PullSecretReferences.Reference> references() {
        return references;
    }

    /** What the references list says about itself: reading, how many are missing, or why it could not be read. */
    public ReadOnlyStringProperty referencesStatusProperty() {
        return referencesStatus.getReadOnlyProperty();
    }

    /** Reads the registries of the user's credentials (a credential helper may be asked to list them). */
    public void loadRegistries() {
        tasks.run(() -> access.logins().registries(), found -> {
            registries.setAll(found);
            if (found.isEmpty()) {
                error.set("Your Docker credentials hold no registry login. Log in first (docker login REGISTRY), "
                        + "then open this window again.");
            }
        }, failure -> error.set(WhereViewModel.describe(failure)));
    }

    /** Builds the secret of the chosen registries and shows it, redacted. Changes nothing. */
    public void preview() {
        step(false);
    }

    /** Creates (or replaces) the secret, adds it to the service account if one is named, and reads the references again. */
    public void apply() {
        step(true);
    }

    private void step(boolean apply) {
        List<String> hosts = registries.stream().filter(r -> chosen(r).get()).toList();
        if (hosts.isEmpty()) {
            fail("Choose at least one registry.");
            return;
        }
        String ns = trimmed(namespace.get()).orElse(context.namespaceOrDefault());
        String secretName = trimmed(name.get()).orElseGet(() -> PullSecret.defaultName(hosts.get(0)));
        Optional<String> account = trimmed(serviceAccount.get());
        long ask = ++asks;
        error.set("");
        status.set("");
        working.set(true);
        tasks.run(() -> {
            PullSecret secret = new PullSecret(ns, secretName, logins(hosts));
            if (!apply) {
                return new Outcome(secret.redactedYaml(), "");
            }
            try (Cluster cluster = access.clusters().connect(Optional.of(context.name()))) {
                Cluster.Applied applied = cluster.applyPullSecret(secret);
                String done = (applied == Cluster.Applied.CREATED ? "Created" : "Replaced") + " secret " + ns + "/"
                        + secretName + " on " + PeerText.clean(context.name()) + ".";
                if (account.isPresent()) {
                    boolean added = cluster.attachPullSecret(ns, account.get(), secretName);
                    done += added ? " Added it to the imagePullSecrets of service account " + PeerText.clean(account.get())
                            + ": its new pods use it." : " Service account " + PeerText.clean(account.get())
                            + " already names it.";
                }
                return new Outcome(secret.redactedYaml(), done);
            }
        }, outcome -> {
            if (ask != asks) {
                return;
            }
            name.set(secretName); // the default name, filled in; still working, so the preview stays
            working.set(false);
            preview.set(outcome.yaml());
            status.set(outcome.status().isEmpty() ? "Nothing was changed: Apply creates it." : outcome.status());
            if (apply) {
                loadReferences();
            }
        }, failure -> {
            if (ask == asks) {
                working.set(false);
                error.set(WhereViewModel.describe(failure));
            }
        });
    }

    /** The redacted preview and what was done; the secret itself does not leave the worker. */
    private record Outcome(String yaml, String status) {
    }

    /** The user's login for each host, or the registry the credentials hold none for. Runs on a worker. */
    private List<RegistryLogin> logins(List<String> hosts) {
        List<RegistryLogin> logins = new ArrayList<>();
        for (String host : hosts) {
            logins.add(access.logins().loginFor(host).orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND,
                    "pull secret", "your Docker credentials hold no usable login for " + host, null, 0,
                    "Log in first (docker login " + host + "), then try again.", null)));
        }
        return logins;
    }

    /** Reads which pods and service accounts of the namespace (every one when blank) reference which pull secrets. */
    public void loadReferences() {
        Optional<String> ns = trimmed(namespace.get());
        long ask = ++referenceAsks;
        referencesStatus.set("Reading the pods, service accounts and secrets of "
                + ns.map(n -> "namespace " + n).orElse("every namespace") + "…");
        tasks.run(() -> {
            try (Cluster cluster = access.clusters().connect(Optional.of(context.name()))) {
                return PullSecretReferences.check(cluster.pods(ns), cluster.serviceAccounts(ns), cluster.secrets(ns));
            }
        }, found -> {
            if (ask != referenceAsks) {
                return;
            }
            references.setAll(found);
            long broken = found.stream().filter(r -> r.state() != PullSecretReferences.State.OK).count();
            referencesStatus.set(found.isEmpty() ? "No pod or service account " + ns.map(n -> "in namespace " + n + " ")
                    .orElse("") + "references an image pull secret."
                    : broken == 0 ? "Every reference leads to a pull secret."
                    : broken + " of " + found.size() + " references lead to no usable pull secret: their pods cannot "
                    + "pull from a private registry with it.");
        }, failure -> {
            if (ask == referenceAsks) {
                references.clear();
                referencesStatus.set(WhereViewModel.describe(failure));
            }
        });
    }

    private void fail(String why) {
        asks++;
        working.set(false);
        status.set("");
        error.set(why);
    }

    private static Optional<String> trimmed(String text) {
        return Optional.ofNullable(text).map(String::trim).filter(t -> !t.isEmpty());
    }
}
