/**
 * Offline validation of the deployment files (no Docker engine, no cluster),
 * one module per target, each stating what it checks:
 *
 * - compose.ts + prometheus.ts: docker-compose.yml and the scrape config it mounts
 * - dockerfile.ts: Dockerfile and .dockerignore
 * - k8s.ts: deploy/k8s/** schemas and kustomizations, then k8s-secrets.ts
 *   (ConfigMap values, Secret template), k8s-services.ts (namespace, selectors,
 *   ports and timeouts against the ConfigMap), k8s-workloads.ts (generic
 *   Deployment hygiene) and keda.ts (the ScaledObject against the ConfigMap)
 * - grafana.ts: the dashboard and the series it queries
 *
 * `npm run validate:deploy` prints the problems and exits 1 when there are
 * any; e2e/test/deploy-files.test.ts runs the same checks in `npm test`.
 */ import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@medcita/testkit';
import { Collector, type ValidateOptions, type ValidationReport } from './collector.js';
import { checkCompose } from './compose.js';
import { checkDockerfile } from './dockerfile.js';
import { checkGrafana } from './grafana.js';
import { checkKubernetes } from './k8s.js';

export type { Problem, ValidateOptions, ValidationReport } from './collector.js';
export { interpolate } from './compose.js';

export async function validateDeploy(root = REPO_ROOT, options: ValidateOptions = {}): Promise<ValidationReport> {
  const c = new Collector(root, options);
  checkCompose(c);
  checkDockerfile(c);
  await checkKubernetes(c);
  checkGrafana(c);
  return { problems: c.problems, checks: c.checks, skipped: c.skipped };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await validateDeploy();
  for (const check of report.checks) process.stdout.write(`checked: ${check}\n`);
  for (const s of report.skipped) process.stdout.write(`skipped: ${s}\n`);
  for (const p of report.problems) process.stdout.write(`PROBLEM ${p.file}: ${p.message}\n`);
  process.stdout.write(report.problems.length === 0 ? 'deploy files: valid\n' : `deploy files: ${report.problems.length} problem(s)\n`);
  process.exit(report.problems.length === 0 ? 0 : 1);
}
