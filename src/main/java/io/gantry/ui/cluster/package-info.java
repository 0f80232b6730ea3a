/**
 * The window's Kubernetes parts (issue 16), over the same {@code engine.cluster} port and rules the
 * CLI's {@code gantry kube} uses: the kubeconfig's contexts in the rail ({@link
 * io.gantry.ui.cluster.ClusterItem}), the chosen cluster's nodes with their cached images and a gauge
 * of each node's image filesystem against its kubelet's GC thresholds ({@link
 * io.gantry.ui.cluster.ClusterView} over {@link io.gantry.ui.cluster.ClustersViewModel}), and "Where is
 * this image?" for an image of any endpoint ({@link io.gantry.ui.cluster.WhereWindow} over {@link
 * io.gantry.ui.cluster.WhereViewModel}: {@code ImageWhereabouts}, as {@code gantry kube where}), the
 * pull-policy preview ({@link io.gantry.ui.cluster.PolicyWindow}) and image pull secrets made from the
 * user's Docker credentials with the references to them checked ({@link
 * io.gantry.ui.cluster.PullSecretWindow} over {@link io.gantry.ui.cluster.PullSecretViewModel}, as
 * {@code gantry kube pull-secret} and {@code secrets}; the credentials stay on the worker that builds
 * the secret and are never shown or logged), and why a pod's image does not pull ({@link
 * io.gantry.ui.cluster.WhyWindow} over {@link io.gantry.ui.cluster.WhyViewModel}, as {@code gantry kube
 * why}, with the registry asked by Gantry's own client using the pod's pull secrets), and pre-pulling
 * an image onto chosen nodes ({@link io.gantry.ui.cluster.PrePullWindow} over {@link
 * io.gantry.ui.cluster.PrePullViewModel}, through {@code service.PrePulls} as {@code gantry kube
 * prepull}: the DaemonSet previewed and applied, nodes whose CRI Gantry reaches pulling through it,
 * then each node's progress until Stop). A node whose
 * own CRI is on this machine ({@code service.NodeCris}, given through {@link
 * io.gantry.ui.cluster.ClusterAccess#withNodeCris}) shows the CRI's images instead of its reported
 * ones, and the node list and Where say FROM which.
 *
 * <p>Read-only unless the user acts: a context is asked nothing until it is chosen (its credential
 * plugin may open a browser; a stale one would wait for a connect timeout). Every call to a cluster
 * runs on the window's executor through {@link io.gantry.ui.FxTasks}, under the adapter's deadlines;
 * a failure is shown in words with what to do ({@link io.gantry.ui.ErrorMessages}), never a class
 * name; text from the cluster reaches cells through {@link io.gantry.ui.PeerCells}.
 */
package io.gantry.ui.cluster;
