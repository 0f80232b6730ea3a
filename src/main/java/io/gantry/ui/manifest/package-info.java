/**
 * "Combine into a multi-arch image" (issue 17): a window over {@link io.gantry.service.ManifestDrafts}
 * that gathers per-platform images (local images of the endpoint selected in the rail, or registry
 * references) into a Docker manifest list or an OCI index, lets the user set each image's
 * platform, previews the JSON and pushes it with progress and cancel, as {@code gantry manifest
 * create/annotate/push} do. Opened from an image's menu in the main window with the chosen images.
 *
 * <p>And the manifest lists an endpoint keeps apart from its images (Podman's {@code podman
 * manifest create/add}, issue 19): {@link io.gantry.ui.manifest.ManifestListsViewModel} reads them
 * through the port ({@code ImageStore.manifestLists()}) after each listing and matches each
 * platform to the local image whose repo digests name its manifest;
 * {@link io.gantry.ui.manifest.ManifestListsView} shows them in the images table's place and the
 * selected list's platforms in the details pane's.
 */
package io.gantry.ui.manifest;
