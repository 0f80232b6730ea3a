package io.gantry.engine.cluster.fabric8;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gantry.core.ErrorKind;
import io.gantry.core.GantryException;
import io.gantry.engine.cluster.ClusterPod;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pasted manifest's pods, as written (no API server defaulted anything): a Pod, or the pod
 * template of a workload; several YAML documents or a {@code List} at once.
 */
final class ManifestReader {

    private static final Logger LOG = LoggerFactory.getLogger(ManifestReader.class);
    /** A manifest is typed or pasted by a person; a megabyte is plenty. */
    static final int MAX_CHARS = 1 << 20;

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    List<ClusterPod> read(String yaml) {
        if (yaml.length() > MAX_CHARS) {
            throw invalid("the manifest is longer than 1 MiB");
        }
        Object parsed;
        try {
            parsed = serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            LOG.debug("manifest unreadable", e);
            throw invalid("the text is no Kubernetes manifest (YAML or JSON with apiVersion and kind)");
        }
        List<Object> objects = new ArrayList<>();
        flatten(parsed, objects);
        List<ClusterPod> pods = new ArrayList<>();
        for (Object object : objects) {
            podOf(object).ifPresent(pods::add);
        }
        if (pods.isEmpty()) {
            throw invalid("the manifest holds no Pod and no workload with a pod template (Deployment, StatefulSet, "
                    + "DaemonSet, ReplicaSet, ReplicationController, Job, CronJob)");
        }
        return pods;
    }

    private static void flatten(Object parsed, List<Object> into) {
        if (parsed instanceof KubernetesList list && list.getItems() != null) {
            list.getItems().forEach(item -> flatten(item, into));
        } else if (parsed instanceof List<?> list) {
            list.forEach(item -> flatten(item, into));
        } else if (parsed != null) {
            into.add(parsed);
        }
    }

    private static Optional<ClusterPod> podOf(Object object) {
        if (object instanceof Pod pod) {
            return Optional.of(ModelTranslation.pod(pod.getMetadata(), pod.getSpec(), null,
                    Optional.of("Pod/" + name(pod.getMetadata()))));
        }
        PodTemplateSpec template = null;
        if (object instanceof Deployment d && d.getSpec() != null) {
            template = d.getSpec().getTemplate();
        } else if (object instanceof StatefulSet s && s.getSpec() != null) {
            template = s.getSpec().getTemplate();
        } else if (object instanceof DaemonSet s && s.getSpec() != null) {
            template = s.getSpec().getTemplate();
        } else if (object instanceof ReplicaSet s && s.getSpec() != null) {
            template = s.getSpec().getTemplate();
        } else if (object instanceof ReplicationController s && s.getSpec() != null) {
            template = s.getSpec().getTemplate();
        } else if (object instanceof Job j && j.getSpec() != null) {
            template = j.getSpec().getTemplate();
        } else if (object instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
                && c.getSpec().getJobTemplate().getSpec() != null) {
            template = c.getSpec().getJobTemplate().getSpec().getTemplate();
        }
        if (template == null || !(object instanceof HasMetadata workload)) {
            return Optional.empty();
        }
        return Optional.of(ModelTranslation.pod(workload.getMetadata(), template.getSpec(), null,
                Optional.of(workload.getKind() + "/" + name(workload.getMetadata()))));
    }

    private static String name(ObjectMeta metadata) {
        return metadata == null || metadata.getName() == null ? "" : metadata.getName();
    }

    private static GantryException invalid(String message) {
        return new GantryException(ErrorKind.INVALID_INPUT, "read the manifest", message, null, 0,
                "Give a Pod or workload manifest, as kubectl apply -f takes it.", null);
    }
}
