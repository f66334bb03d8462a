// Configuration and secrets in the cluster: the ConfigMap's values pass the
// services' own env schema, and the committed Secret is a template of
// placeholders, never a real secret.
import { checkEnvValues } from '../env-docs/env-table.js';
import type { Collector } from './collector.js';
import { K8S_DIR, type K8sObjects } from './k8s-objects.js';

export function checkConfigAndSecrets(c: Collector, k8s: K8sObjects): void {
  const configMap = k8s.find('ConfigMap', 'medcita-config');
  c.expect(configMap, K8S_DIR, 'ConfigMap medcita-config');
  for (const problem of checkEnvValues(k8s.config() ?? {})) c.add(configMap?.file ?? K8S_DIR, `ConfigMap: ${problem}`);
  const secret = k8s.find('Secret', 'medcita-secrets');
  c.expect(secret, K8S_DIR, 'Secret template medcita-secrets');
  for (const v of Object.values({ ...(secret?.obj.stringData ?? {}), ...(secret?.obj.data ?? {}) })) {
    c.expect(v === 'change-me', secret!.file, 'the Secret template holds placeholders only (change-me)');
  }
}
