// Generic hygiene of every Deployment: selector, non-root pod, no service
// account token, hardened containers, requests and limits, probes on named
// ports, mounts backed by volumes, referenced ConfigMaps/Secrets/PVCs defined.
import type { Collector, Obj } from './collector.js';
import { labelsMatch, type K8sObjects } from './k8s-objects.js';

export function checkWorkloads(c: Collector, k8s: K8sObjects): void {
  for (const { file, obj } of k8s.ofKind('Deployment')) {
    const name = obj.metadata.name as string;
    const pod = obj.spec?.template?.spec ?? {};
    c.expect(
      labelsMatch(obj.spec?.selector?.matchLabels, obj.spec?.template?.metadata?.labels),
      file,
      `${name}: selector must match the pod labels`,
    );
    c.expect(pod.securityContext?.runAsNonRoot === true, file, `${name}: pod runAsNonRoot`);
    c.expect(pod.automountServiceAccountToken === false, file, `${name}: automountServiceAccountToken false`);
    const ann = obj.spec?.template?.metadata?.annotations ?? {};
    for (const ctr of (pod.containers ?? []) as Obj[]) checkContainer(c, k8s, file, `${name}/${ctr.name}`, ctr, pod, ann);
    for (const v of (pod.volumes ?? []) as Obj[]) {
      if (v.persistentVolumeClaim)
        c.expect(
          k8s.find('PersistentVolumeClaim', v.persistentVolumeClaim.claimName),
          file,
          `${name}: PVC ${v.persistentVolumeClaim.claimName} not defined`,
        );
    }
  }
}

function checkContainer(c: Collector, k8s: K8sObjects, file: string, where: string, ctr: Obj, pod: Obj, ann: Obj): void {
  const ports = (ctr.ports ?? []) as Obj[];
  const sc = ctr.securityContext ?? {};
  c.expect(sc.readOnlyRootFilesystem === true, file, `${where}: readOnlyRootFilesystem`);
  c.expect(sc.allowPrivilegeEscalation === false, file, `${where}: allowPrivilegeEscalation false`);
  c.expect(sc.capabilities?.drop?.includes('ALL'), file, `${where}: drop ALL capabilities`);
  c.expect(ctr.resources?.requests?.memory && ctr.resources?.requests?.cpu, file, `${where}: cpu and memory requests`);
  c.expect(ctr.resources?.limits?.memory, file, `${where}: memory limit`);
  for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
    const port = ctr[probe]?.httpGet?.port;
    c.expect(port !== undefined, file, `${where}: ${probe}`);
    if (typeof port === 'string')
      c.expect(
        ports.some((p) => p.name === port),
        file,
        `${where}: ${probe} port "${port}" is not a named container port`,
      );
  }
  c.expect(ctr.readinessProbe?.httpGet?.path === '/readyz', file, `${where}: readiness on /readyz`);
  c.expect(ctr.livenessProbe?.httpGet?.path === '/healthz', file, `${where}: liveness on /healthz`);
  for (const ref of (ctr.envFrom ?? []) as Obj[]) {
    if (ref.configMapRef)
      c.expect(k8s.find('ConfigMap', ref.configMapRef.name), file, `${where}: ConfigMap ${ref.configMapRef.name} not defined`);
    if (ref.secretRef) c.expect(k8s.find('Secret', ref.secretRef.name), file, `${where}: Secret ${ref.secretRef.name} not defined`);
  }
  c.expect(
    ports.some((p) => String(p.containerPort) === String(ann['prometheus.io/port'])),
    file,
    `${where}: prometheus.io/port annotation names a container port`,
  );
  for (const m of (ctr.volumeMounts ?? []) as Obj[]) {
    c.expect(
      (pod.volumes ?? []).some((v: Obj) => v.name === m.name),
      file,
      `${where}: volumeMount ${m.name} has no volume`,
    );
  }
}
