package io.gantry.registry;

import io.gantry.core.Repository;
import java.util.List;

/**
 * A token scope as the Docker token protocol writes it: {@code repository:team/app:pull,push} or
 * {@code registry:catalog:*}.
 */
record Scope(String type, String name, List<String> actions) {

    Scope {
        actions = List.copyOf(actions);
    }

    static Scope pull(Repository repository) {
        return new Scope("repository", repository.path(), List.of("pull"));
    }

    static Scope push(Repository repository) {
        return new Scope("repository", repository.path(), List.of("pull", "push"));
    }

    static Scope catalog() {
        return new Scope("registry", "catalog", List.of("*"));
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
