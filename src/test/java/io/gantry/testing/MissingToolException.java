package io.gantry.testing;

/**
 * Thrown when a program the tests need is not installed. It fails the test (never skips it), and its
 * message names the Debian package and the command that installs it.
 */
public final class MissingToolException extends IllegalStateException {

    private final transient RequiredTool tool;

    public MissingToolException(RequiredTool tool, String detail) {
        super(detail.isEmpty() ? tool.missingMessage() : tool.missingMessage() + " [" + detail + "]");
        this.tool = tool;
    }

    public RequiredTool tool() {
        return tool;
    }
}
