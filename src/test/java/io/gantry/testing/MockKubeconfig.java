package io.gantry.testing;

/**
 * Kubeconfig files for tests against fabric8's mock API server: each context {@code NAME=URL} or
 * {@code NAME=URL=NAMESPACE} gets a cluster {@code NAME-cluster} and a user {@code NAME-user} with
 * a token.
 */
public final class MockKubeconfig {

    private MockKubeconfig() {
    }

    /** A kubeconfig whose current context is {@code current} (none when null), with {@code contexts}. */
    public static String yaml(String current, String... contexts) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\n");
        if (current != null) {
            yaml.append("current-context: ").append(current).append('\n');
        }
        yaml.append("clusters:\n");
        for (String context : contexts) {
            String[] parts = context.split("=");
            yaml.append("- name: ").append(parts[0]).append("-cluster\n  cluster:\n    server: ").append(parts[1])
                    .append('\n');
        }
        yaml.append("users:\n");
        for (String context : contexts) {
            yaml.append("- name: ").append(context.split("=")[0]).append("-user\n  user:\n    token: t0ken-")
                    .append(context.split("=")[0]).append('\n');
        }
        yaml.append("contexts:\n");
        for (String context : contexts) {
            String name = context.split("=")[0];
            yaml.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name)
                    .append("-cluster\n    user: ").append(name).append("-user\n");
            if (context.split("=").length > 2) {
                yaml.append("    namespace: ").append(context.split("=")[2]).append('\n');
            }
        }
        return yaml.toString();
    }

    /** An API server address nothing listens on: a loopback port that was free a moment ago, so a connect is refused. */
    public static String refusingUrl() {
        return "http://127.0.0.1:" + FreePort.onLoopback();
    }
}
