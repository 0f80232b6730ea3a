/**
 * "Combine into a multi-arch image" (issue 17): a window over {@link io.gantry.service.ManifestDrafts}
 * that gathers per-platform images (local images of the endpoint selected in the rail, or registry
 * references) into a Docker manifest list or an OCI index, lets the user set each image's
 * platform, previews the JSON and pushes it with progress and cancel, as {@code gantry manifest
 * create/annotate/push} do. Opened from an image's menu in the main window with the chosen images.
 */
package io.gantry.ui.manifest;
