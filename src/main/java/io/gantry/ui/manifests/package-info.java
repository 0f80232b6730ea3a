/**
 * The manifest lists an endpoint keeps apart from its images (Podman's {@code podman manifest
 * create/add}): {@link io.gantry.ui.manifests.ManifestListsViewModel} reads them through the port
 * ({@code ImageStore.manifestLists()}) after each listing and matches each platform to the local
 * image whose repo digests name its manifest; {@link io.gantry.ui.manifests.ManifestListsView}
 * shows them in the images table's place and the selected list's platforms in the details pane's.
 */
package io.gantry.ui.manifests;
