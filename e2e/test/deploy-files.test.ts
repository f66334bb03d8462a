/**
 * docs/deploy.md, "Validation": CI validates docker-compose.yml, the Dockerfile and
 * every Kubernetes manifest offline (tools/deploy-check/main.ts), and the
 * validator is shown to catch the mistakes it is there for.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateDeploy, type Problem } from '../../tools/deploy-check/main.js';
import { REPO_ROOT } from '@medcita/testkit';

const show = (problems: Problem[]) => problems.map((p) => `${p.file}: ${p.message}`);

describe('deployment files', () => {
  it('docker-compose.yml, Dockerfile, deploy/k8s and the Grafana dashboard are valid', async () => {
    const report = await validateDeploy(REPO_ROOT);
    expect(show(report.problems)).toEqual([]);
    expect(report.checks.some((c) => c.startsWith('compose'))).toBe(true);
    expect(report.checks.some((c) => c.startsWith('k8s'))).toBe(true);
  });

  describe('when a file is broken', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'medcita-deploy-'));
      for (const f of ['docker-compose.yml', 'Dockerfile', '.dockerignore', 'deploy']) {
        cpSync(path.join(REPO_ROOT, f), path.join(root, f), { recursive: true });
      }
      for (const ws of ['ingress', 'workers', 'shared']) {
        symlinkSync(path.join(REPO_ROOT, ws), path.join(root, ws));
      }
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const edit = (file: string, from: string | RegExp, to: string) => {
      const abs = path.join(root, file);
      const text = readFileSync(abs, 'utf8');
      const next = text.replace(from, to);
      if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
      writeFileSync(abs, next);
    };
    // kubectl kustomize (when installed) already ran on the real files above.
    const problemsOf = async () => show((await validateDeploy(root, { kubectl: false })).problems).join('\n');

    it.each([
      ['a misspelt compose key (schema)', 'docker-compose.yml', 'stop_grace_period: 90s', 'stop_grace_perod: 90s', /additional properties/],
      ['Redis evicting keys', 'docker-compose.yml', '- noeviction', '- allkeys-lru', /noeviction/],
      ['workers without replicas', 'docker-compose.yml', 'replicas: ${WORKER_REPLICAS:-3}', 'replicas: 1', /replicas must default to 3/],
      [
        'Prometheus with a hand-listed worker',
        'deploy/prometheus/prometheus.yml',
        /- names: \[workers\]/,
        '- names: [workers-1]',
        /dns_sd_configs for service "workers"/,
      ],
      ['a root image user', 'Dockerfile', 'USER 1000:1000', 'USER root', /numeric non-root/],
      ['an image on an old Node', 'Dockerfile', 'node:24-trixie-slim', 'node:20-bookworm-slim', /node:24 slim/],
      [
        'the ingress image installing every workspace',
        'Dockerfile',
        'npm ci --omit=dev --workspace ingress',
        'npm ci --omit=dev',
        /stage "ingress": npm ci --omit=dev --workspace ingress/,
      ],
      [
        'the workers image with the ingress code',
        'Dockerfile',
        'COPY --from=build /app/workers/dist workers/dist',
        'COPY --from=build /app/ingress/dist ingress/dist',
        /stage "workers": copies nothing of ingress/,
      ],
      [
        'a wrong type in a Deployment (schema)',
        'deploy/k8s/base/ingress-deployment.yaml',
        'replicas: 2',
        'replicas: two',
        /must be integer/,
      ],
      [
        'readiness on the liveness path',
        'deploy/k8s/base/workers-deployment.yaml',
        'path: /readyz',
        'path: /healthz',
        /readiness on \/readyz/,
      ],
      [
        'a writable root filesystem',
        'deploy/k8s/base/workers-deployment.yaml',
        'readOnlyRootFilesystem: true',
        'readOnlyRootFilesystem: false',
        /readOnlyRootFilesystem/,
      ],
      [
        'a short grace period',
        'deploy/k8s/base/workers-deployment.yaml',
        'terminationGracePeriodSeconds: 90',
        'terminationGracePeriodSeconds: 30',
        /must exceed the longest turn/,
      ],
      [
        'a KEDA list name BullMQ does not use',
        'deploy/k8s/base/scaled-object.yaml',
        'listName: "{medcita}:turns:wait"',
        'listName: "bull:turns:wait"',
        /listName must be/,
      ],
      [
        'KEDA watching another Redis',
        'deploy/k8s/base/scaled-object.yaml',
        'address: redis.medcita.svc.cluster.local:6379',
        'address: redis:6379',
        /trigger address must be the ConfigMap's Redis/,
      ],
      [
        'a KEDA trigger without type (schema)',
        'deploy/k8s/base/scaled-object.yaml',
        '- type: redis',
        '- kind: redis',
        /required property 'type'|a redis trigger/,
      ],
      [
        'a Service selecting nothing',
        'deploy/k8s/base/ingress-service.yaml',
        /app\.kubernetes\.io\/name: medcita-ingress\n {2}ports/,
        'app.kubernetes.io/name: ingres\n  ports',
        /selector matches no Deployment/,
      ],
      [
        'a manifest left out of the kustomization',
        'deploy/k8s/base/kustomization.yaml',
        '  - workers-pdb.yaml\n',
        '',
        /workers-pdb.yaml is not in resources/,
      ],
      [
        'a real value in the Secret template',
        'deploy/k8s/base/secret.template.yaml',
        'WHATSAPP_ACCESS_TOKEN: change-me',
        'WHATSAPP_ACCESS_TOKEN: EAAG123',
        /placeholders only/,
      ],
      [
        'a misspelt ConfigMap variable',
        'deploy/k8s/base/configmap.yaml',
        'GRAPH_TIMEOUT_MS: "10000"',
        'GRAPH_TIMEOUT: "10000"',
        /ConfigMap: GRAPH_TIMEOUT is not a variable any service reads/,
      ],
      [
        'a ConfigMap value the worker would refuse',
        'deploy/k8s/base/configmap.yaml',
        'SESSION_LOCK_TTL_MS: "30000"',
        'SESSION_LOCK_TTL_MS: "30s"',
        /ConfigMap: SESSION_LOCK_TTL_MS="30s"/,
      ],
      [
        'a misspelt compose variable',
        'docker-compose.yml',
        'QUEUE_PREFIX: "{medcita}"',
        'QUEUE_PREFX: "{medcita}"',
        /environment: QUEUE_PREFX is not a variable/,
      ],
      [
        'a dashboard query of an unknown series',
        'deploy/grafana/dashboards/medcita.json',
        /medcita_bookings_total/g,
        'medcita_bookingz_total',
        /medcita_bookingz_total, which no service defines/,
      ],
    ])('reports %s', async (_what, file, from, to, expected) => {
      edit(file, from, to);
      expect(await problemsOf()).toMatch(expected);
    });
  });
});
