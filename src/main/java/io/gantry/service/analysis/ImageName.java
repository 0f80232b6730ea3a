package io.gantry.service.analysis;

/**
 * A reference as {@code docker images} prints it, split just enough for delete rules: its
 * repository name and whether it is a digest reference ({@code repo@sha256:…}) or a tag.
 *
 * @param familiar  the reference with a tag filled in ({@code ubuntu} becomes {@code ubuntu:latest})
 * @param repository the repository part ({@code localhost:5000/app})
 * @param canonical whether it is a digest reference
 */
record ImageName(String familiar, String repository, boolean canonical) {

    static ImageName parse(String reference) {
        int at = reference.indexOf('@');
        if (at >= 0) {
            String name = reference.substring(0, at);
            int colon = name.lastIndexOf(':');
            String repository = colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
            return new ImageName(reference, repository, true);
        }
        int colon = reference.lastIndexOf(':');
        if (colon > reference.lastIndexOf('/')) {
            return new ImageName(reference, reference.substring(0, colon), false);
        }
        return new ImageName(reference + ":latest", reference, false);
    }
}
