/**
 * The OCI distribution client on OkHttp and Jackson: auth challenges and tokens, Docker
 * credentials, manifests, blobs, tags, catalog and search.
 *
 * <p>One class per registry operation; one caller alone maps HTTP status to
 * {@link io.gantry.core.GantryException}s. Wire-format DTOs stay package-private and are
 * translated to {@code io.gantry.core} records at the boundary. Depends only on {@code core}.
 */
package io.gantry.registry;
