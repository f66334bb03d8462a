// The KEDA ScaledObject: it scales the workers Deployment on the length of
// the turns queue, in the Redis and under the QUEUE_PREFIX the ConfigMap gives
// the services.
import type { Collector, Obj } from './collector.js';
import { K8S_DIR, type K8sObjects } from './k8s-objects.js';

export function checkKeda(c: Collector, k8s: K8sObjects): void {
  const [scaled] = k8s.ofKind('ScaledObject');
  c.expect(scaled, K8S_DIR, 'KEDA ScaledObject for the workers');
  if (!scaled) return;
  const { file, obj } = scaled;
  const config = k8s.config();
  const s = obj.spec ?? {};
  c.expect(
    s.scaleTargetRef?.kind === 'Deployment' && k8s.find('Deployment', s.scaleTargetRef?.name),
    file,
    'scaleTargetRef names a Deployment',
  );
  c.expect(
    Number.isInteger(s.minReplicaCount) && Number.isInteger(s.maxReplicaCount) && s.minReplicaCount <= s.maxReplicaCount,
    file,
    'minReplicaCount <= maxReplicaCount',
  );
  c.expect(Number(s.cooldownPeriod) > 0, file, 'cooldownPeriod');
  const trigger = (s.triggers ?? []).find((t: Obj) => t.type === 'redis' || t.type === 'redis-cluster');
  c.expect(trigger, file, 'a redis trigger');
  if (!trigger || !config) return;
  c.expect(
    trigger.metadata?.listName === `${config.QUEUE_PREFIX}:turns:wait`,
    file,
    `listName must be "${config.QUEUE_PREFIX}:turns:wait" (QUEUE_PREFIX of the ConfigMap)`,
  );
  c.expect(Number(trigger.metadata?.listLength) > 0, file, 'listLength > 0');
  if (trigger.type === 'redis' && config.REDIS_URL && !config.REDIS_CLUSTER_NODES) {
    const url = new URL(config.REDIS_URL);
    const address = `${url.hostname}:${url.port || 6379}`;
    c.expect(trigger.metadata?.address === address, file, `trigger address must be the ConfigMap's Redis (${address})`);
  }
}
