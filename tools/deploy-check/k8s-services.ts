// How the medcita objects fit together: one namespace, Services and PDBs that
// select a Deployment's pods on its container ports, and the ConfigMap's
// ports, model cache and timeouts matching the Deployments that read it.
import type { Collector, Obj } from './collector.js';
import { K8S_DIR, K8S_NAMESPACE, labelsMatch, type K8sObjects } from './k8s-objects.js';

export function checkServices(c: Collector, k8s: K8sObjects): void {
  c.expect(k8s.find('Namespace', K8S_NAMESPACE), K8S_DIR, `Namespace ${K8S_NAMESPACE}`);
  for (const { file, obj } of k8s.all) {
    if (obj.kind !== 'Namespace' && obj.kind !== 'Kustomization') {
      c.expect(obj.metadata?.namespace === K8S_NAMESPACE, file, `${obj.kind}/${obj.metadata?.name}: metadata.namespace ${K8S_NAMESPACE}`);
    }
  }
  const deployments = k8s.ofKind('Deployment');
  for (const { file, obj } of k8s.ofKind('Service', 'PodDisruptionBudget')) {
    const selector = obj.kind === 'Service' ? obj.spec?.selector : obj.spec?.selector?.matchLabels;
    const target = deployments.find((d) => labelsMatch(selector, d.obj.spec?.template?.metadata?.labels));
    c.expect(target, file, `${obj.kind}/${obj.metadata.name}: selector matches no Deployment's pods`);
    if (obj.kind === 'Service' && target) {
      const ports = target.obj.spec.template.spec.containers.flatMap((ct: Obj) => ct.ports ?? []) as Obj[];
      for (const p of (obj.spec.ports ?? []) as Obj[]) {
        const t = p.targetPort ?? p.port;
        c.expect(
          ports.some((cp) => cp.name === t || cp.containerPort === t),
          file,
          `Service/${obj.metadata.name}: targetPort ${t} is not a container port`,
        );
      }
    }
  }
  c.expect(k8s.find('PodDisruptionBudget', 'ingress'), K8S_DIR, 'PodDisruptionBudget for the ingress');
  checkAgainstConfig(c, k8s);
}

function checkAgainstConfig(c: Collector, k8s: K8sObjects): void {
  const config = k8s.config();
  if (!config) return;
  const workers = k8s.find('Deployment', 'workers');
  if (workers) {
    const { file, obj } = workers;
    const pod = obj.spec.template.spec;
    const ctr = pod.containers[0] as Obj;
    // The longest turn: clinic budget plus every Graph attempt timing out, and never less than the lock TTL.
    const longestTurnS =
      Math.max(
        Number(config.SESSION_LOCK_TTL_MS ?? 30_000),
        Number(config.GRAPH_TIMEOUT_MS ?? 10_000) * Number(config.GRAPH_MAX_ATTEMPTS ?? 4) + Number(config.CLINIC_TIMEOUT_MS ?? 2_500),
      ) / 1000;
    c.expect(
      Number(pod.terminationGracePeriodSeconds) > longestTurnS,
      file,
      `workers: terminationGracePeriodSeconds must exceed the longest turn (~${longestTurnS} s)`,
    );
    c.expect(obj.spec.replicas === undefined, file, 'workers: no spec.replicas (KEDA owns the count)');
    c.expect(
      (ctr.volumeMounts ?? []).some((m: Obj) => m.mountPath === config.MODEL_CACHE_DIR),
      file,
      'workers: a volume at MODEL_CACHE_DIR',
    );
    c.expect(
      ctr.ports?.some((p: Obj) => String(p.containerPort) === config.METRICS_PORT),
      file,
      'workers: container port = METRICS_PORT',
    );
  }
  const ingress = k8s.find('Deployment', 'ingress');
  if (ingress) {
    c.expect(
      ingress.obj.spec.template.spec.containers[0].ports?.some((p: Obj) => String(p.containerPort) === config.PORT),
      ingress.file,
      'ingress: container port = PORT',
    );
  }
}
