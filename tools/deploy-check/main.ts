/**
 * Offline validation of the deployment files (no Docker engine, no cluster):
 *
 * - docker-compose.yml: YAML, the Compose Specification JSON schema (the one
 *   dclint bundles), and what docs/deploy.md requires of it (Redis AOF/noeviction/
 *   health check, worker replicas sharing the model cache, Prometheus DNS
 *   discovery of every replica, Grafana provisioning, mounted files exist).
 * - Dockerfile and .dockerignore: Node 20 slim base, `npm ci` + build,
 *   `--omit=dev` runtime, non-root user, tini, no model baked in.
 * - deploy/k8s/**: YAML, each object against its Kubernetes / KEDA /
 *   Prometheus Operator schema (kubernetes-models), kustomization resources,
 *   selectors, named ports, probes, security context, resources, grace period
 *   and the KEDA trigger; `kubectl kustomize` builds when kubectl is on PATH.
 * - the Grafana dashboard: JSON, and every medcita_* series it queries is one
 *   the services define.
 *
 * `node --conditions=source --import tsx tools/deploy-check/main.ts` prints the
 * problems and exits 1 when there are any; e2e/test/deploy-files.test.ts runs
 * the same checks in `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { REPO_ROOT } from '@medcita/testkit';
import { checkEnvValues } from '../env-docs/env-table.js';

const K8S_DIR = 'deploy/k8s';
const K8S_NAMESPACE = 'medcita';

/** One finding: the file it is about and what is wrong. */
export interface Problem {
  file: string;
  message: string;
}

export interface ValidationReport {
  problems: Problem[];
  /** Checks that ran, for the summary line. */
  checks: string[];
  /** Checks that could not run here (e.g. kubectl missing), with the reason. */
  skipped: string[];
}

type Obj = Record<string, any>;

export interface ValidateOptions {
  /** Run `kubectl kustomize` on each kustomization when kubectl is installed (default true). */
  kubectl?: boolean;
}

class Collector {
  readonly problems: Problem[] = [];
  readonly checks: string[] = [];
  readonly skipped: string[] = [];
  constructor(
    readonly root: string,
    readonly options: ValidateOptions,
  ) {}
  add(file: string, message: string): void {
    this.problems.push({ file, message });
  }
  expect(cond: unknown, file: string, message: string): void {
    if (!cond) this.add(file, message);
  }
  read(file: string): string | undefined {
    const abs = path.join(this.root, file);
    if (!existsSync(abs)) {
      this.add(file, 'missing');
      return undefined;
    }
    return readFileSync(abs, 'utf8');
  }
  /** All documents of a YAML file; syntax errors and duplicate keys are problems. */
  yamlDocs(file: string): Obj[] {
    const text = this.read(file);
    if (text === undefined) return [];
    const docs = YAML.parseAllDocuments(text, { uniqueKeys: true, merge: true });
    const out: Obj[] = [];
    for (const doc of docs) {
      for (const err of doc.errors) this.add(file, `YAML: ${err.message}`);
      if (doc.errors.length === 0 && doc.contents !== null) out.push(doc.toJS() as Obj);
    }
    return out;
  }
}

// ---------------------------------------------------------------- compose --

/** Compose variable interpolation: ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, $$. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name, op, arg, bare) => {
    if (m === '$$') return '$';
    const key = (name ?? bare) as string;
    const v = env[key];
    const unsetOrEmpty = v === undefined || (op?.startsWith(':') && v === '');
    if (op === ':-' || op === '-') return unsetOrEmpty ? (arg as string) : v;
    if (op === ':?' || op === '?') {
      if (unsetOrEmpty) throw new Error(`required variable ${key} is not set: ${arg}`);
      return v;
    }
    return v ?? '';
  });
}

function interpolateDeep(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolateDeep(n, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return node;
}

function composeSchema(): object {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('dclint/package.json'));
  // Its $schema is draft-07 under an https URL Ajv does not know by that name; Ajv's default is draft-07.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path.join(dir, 'schemas/compose.schema.json'), 'utf8')) as Obj;
  return schema;
}

function envOf(service: Obj): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e: string) => [e.split('=')[0], e.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

function dockerfileTargets(text: string): string[] {
  return [...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!.toLowerCase());
}

function checkCompose(c: Collector): void {
  const file = 'docker-compose.yml';
  const [raw] = c.yamlDocs(file);
  if (!raw) return;
  c.checks.push('compose: YAML + Compose Specification schema');
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(composeSchema());
  if (!validate(raw)) {
    for (const e of validate.errors ?? []) c.add(file, `schema: ${e.instancePath || '/'} ${e.message ?? ''}`);
  }
  let doc: Obj;
  try {
    doc = interpolateDeep(raw, {}) as Obj;
  } catch (err) {
    c.add(file, `interpolation with an empty environment: ${(err as Error).message}`);
    return;
  }
  const services = (doc.services ?? {}) as Record<string, Obj>;
  for (const name of ['redis', 'ingress', 'workers', 'prometheus', 'grafana']) {
    c.expect(services[name], file, `service "${name}" missing`);
  }
  const { redis, ingress, workers, prometheus, grafana } = services;
  const volumes = Object.keys(doc.volumes ?? {});
  for (const [name, svc] of [
    ['ingress', ingress],
    ['workers', workers],
  ] as const) {
    const env = Object.fromEntries(Object.entries((svc?.environment ?? {}) as Obj).map(([k, v]) => [k, String(v)]));
    for (const problem of checkEnvValues(env)) c.add(file, `${name}.environment: ${problem}`);
  }

  if (redis) {
    c.expect(/^redis:7(\.|-|$)/.test(String(redis.image)), file, 'redis: image must be redis:7');
    const cmd = (Array.isArray(redis.command) ? redis.command : String(redis.command ?? '').split(/\s+/)).map(String);
    const arg = (flag: string) => cmd[cmd.indexOf(flag) + 1];
    c.expect(arg('--appendonly') === 'yes', file, 'redis: --appendonly yes');
    c.expect(arg('--appendfsync') === 'everysec', file, 'redis: --appendfsync everysec');
    c.expect(arg('--maxmemory-policy') === 'noeviction', file, 'redis: --maxmemory-policy noeviction');
    c.expect(redis.healthcheck?.test, file, 'redis: health check');
  }

  const dockerfile = c.read('Dockerfile') ?? '';
  const targets = dockerfileTargets(dockerfile);
  for (const [name, svc] of [
    ['ingress', ingress],
    ['workers', workers],
  ] as const) {
    if (!svc) continue;
    c.expect(
      svc.build && targets.includes(String(svc.build.target)),
      file,
      `${name}: build.target must be a Dockerfile stage (${targets.join(', ')})`,
    );
    c.expect(svc.depends_on?.redis?.condition === 'service_healthy', file, `${name}: depends_on redis service_healthy`);
    c.expect(svc.healthcheck?.test, file, `${name}: health check`);
    c.expect(envOf(svc).REDIS_URL === 'redis://redis:6379', file, `${name}: REDIS_URL must point at the redis service`);
  }
  if (workers) {
    c.expect(Number(workers.deploy?.replicas) === 3, file, 'workers: deploy.replicas must default to 3');
    c.expect(!workers.ports, file, 'workers: no published ports (replicas would collide; Prometheus scrapes the network)');
    const cacheDir = envOf(workers).MODEL_CACHE_DIR;
    const mount = (workers.volumes ?? []).map(String).find((v: string) => v.split(':')[1] === cacheDir);
    c.expect(cacheDir && mount, file, 'workers: a volume mounted at MODEL_CACHE_DIR (the model cache)');
    if (mount) c.expect(volumes.includes(mount.split(':')[0]), file, `workers: model cache "${mount}" must be a named volume`);
  }

  // Prometheus finds the ingress and every worker replica through DNS.
  const promMount = (prometheus?.volumes ?? []).map(String).find((v: string) => v.includes('prometheus.yml'));
  c.expect(promMount, file, 'prometheus: mounts deploy/prometheus/prometheus.yml');
  const [prom] = promMount ? c.yamlDocs(path.normalize(promMount.split(':')[0])) : [];
  if (prom) {
    const sd = (prom.scrape_configs ?? []).flatMap((j: Obj) => j.dns_sd_configs ?? []) as Obj[];
    const scrapes = (svc: string, port: string | undefined) =>
      sd.some((s) => (s.names ?? []).includes(svc) && String(s.port) === String(port));
    c.expect(
      scrapes('ingress', envOf(ingress ?? {}).PORT),
      'deploy/prometheus/prometheus.yml',
      'dns_sd_configs for service "ingress" on its PORT',
    );
    c.expect(
      scrapes('workers', envOf(workers ?? {}).METRICS_PORT),
      'deploy/prometheus/prometheus.yml',
      'dns_sd_configs for service "workers" on METRICS_PORT',
    );
    c.expect(
      !(prom.scrape_configs ?? []).some((j: Obj) => j.job_name?.includes('workers') && j.static_configs),
      'deploy/prometheus/prometheus.yml',
      'workers must not be hand-listed targets',
    );
  }

  // Every bind-mounted host path exists.
  for (const [name, svc] of Object.entries(services)) {
    for (const v of (svc.volumes ?? []).map(String)) {
      const src = v.split(':')[0]!;
      if (src.startsWith('.') || src.startsWith('/'))
        c.expect(existsSync(path.join(c.root, src)), file, `${name}: bind mount source ${src} missing`);
    }
  }
  c.expect(
    (grafana?.volumes ?? []).some((v: string) => String(v).startsWith('./deploy/grafana/provisioning')),
    file,
    'grafana: mounts deploy/grafana/provisioning',
  );
}

// ------------------------------------------------------------- Dockerfile --

function checkDockerfile(c: Collector): void {
  const file = 'Dockerfile';
  const text = c.read(file);
  if (text === undefined) return;
  c.checks.push('Dockerfile + .dockerignore');
  const froms = [...text.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]!);
  const baseArg = /^ARG\s+NODE_IMAGE=(\S+)/m.exec(text)?.[1];
  const bases = froms
    .map((f) => (f === '${NODE_IMAGE}' ? baseArg : f))
    .filter((f) => f && !dockerfileTargets(text).includes(f.toLowerCase()));
  c.expect(
    bases.length > 0 && bases.every((b) => /^node:20[.-].*slim/.test(b!)),
    file,
    `every base image must be node:20 slim (got ${bases.join(', ')})`,
  );
  c.expect(/RUN npm ci(?![^\n]*--omit=dev)/.test(text), file, 'build stage: npm ci (with dev dependencies)');
  c.expect(/npm run build/.test(text), file, 'build stage: npm run build');
  c.expect(/npm ci[^\n]*--omit=dev/.test(text), file, 'runtime stage: npm ci --omit=dev');
  const users = [...text.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
  c.expect(
    users.length > 0 && users.every((u) => /^[1-9]\d*(:\d+)?$/.test(u)),
    file,
    'USER must be a numeric non-root uid (Kubernetes runAsNonRoot checks it)',
  );
  c.expect(/ENTRYPOINT\s+\[\s*"\/usr\/bin\/tini"/.test(text), file, 'tini as the entrypoint (signal forwarding)');
  c.expect(!/COPY[^\n]*(models|\.cache)/i.test(text), file, 'no model files copied into the image');
  for (const t of ['ingress', 'workers']) c.expect(dockerfileTargets(text).includes(t), file, `stage "${t}"`);
  const ignore = (c.read('.dockerignore') ?? '').split('\n').map((l) => l.trim());
  for (const p of ['**/node_modules', '**/dist', '.env', '.git', 'models'])
    c.expect(ignore.includes(p), '.dockerignore', `must ignore ${p}`);
}

// ------------------------------------------------------------- Kubernetes --

function yamlFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((e) => {
    const rel = path.join(dir, e);
    if (statSync(path.join(root, rel)).isDirectory()) return yamlFiles(root, rel);
    return /\.ya?ml$/.test(e) ? [rel] : [];
  });
}

/** Module of kubernetes-models (or its CRD packages) that holds the schema of one apiVersion/kind. */
function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  if (group === 'kustomize.config.k8s.io') return undefined;
  return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
}

interface K8sObject {
  file: string;
  obj: Obj;
}

async function checkSchemas(c: Collector, objects: K8sObject[]): Promise<void> {
  for (const { file, obj } of objects) {
    const mod = modelModule(String(obj.apiVersion), String(obj.kind));
    if (!mod) continue;
    let Model: new (o: Obj) => { validate(): void };
    try {
      Model = ((await import(mod)) as Record<string, new (o: Obj) => { validate(): void }>)[obj.kind]!;
    } catch {
      c.add(file, `no schema for ${obj.apiVersion} ${obj.kind} (unknown kind?)`);
      continue;
    }
    try {
      new Model(obj).validate();
    } catch (err) {
      c.add(file, `${obj.kind}/${obj.metadata?.name}: schema: ${(err as Error).message}`);
    }
  }
}

const labelsMatch = (selector: Obj | undefined, labels: Obj | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function checkK8sStructure(c: Collector, objects: K8sObject[]): void {
  const find = (kind: string, name: string) => objects.find((o) => o.obj.kind === kind && o.obj.metadata?.name === name);
  const deployments = objects.filter((o) => o.obj.kind === 'Deployment');
  const config = find('ConfigMap', 'medcita-config')?.obj.data as Record<string, string> | undefined;
  c.expect(config, K8S_DIR, 'ConfigMap medcita-config');
  const configFile = find('ConfigMap', 'medcita-config')?.file ?? K8S_DIR;
  for (const problem of checkEnvValues(config ?? {})) c.add(configFile, `ConfigMap: ${problem}`);
  c.expect(find('Namespace', K8S_NAMESPACE), K8S_DIR, `Namespace ${K8S_NAMESPACE}`);
  c.expect(find('Secret', 'medcita-secrets'), K8S_DIR, 'Secret template medcita-secrets');
  const secret = find('Secret', 'medcita-secrets')?.obj;
  for (const v of Object.values({ ...(secret?.stringData ?? {}), ...(secret?.data ?? {}) })) {
    c.expect(v === 'change-me', find('Secret', 'medcita-secrets')!.file, 'the Secret template holds placeholders only (change-me)');
  }

  for (const { file, obj } of objects) {
    if (obj.kind !== 'Namespace' && obj.kind !== 'Kustomization') {
      c.expect(obj.metadata?.namespace === K8S_NAMESPACE, file, `${obj.kind}/${obj.metadata?.name}: metadata.namespace ${K8S_NAMESPACE}`);
    }
  }

  for (const { file, obj } of deployments) {
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
    for (const ctr of (pod.containers ?? []) as Obj[]) {
      const where = `${name}/${ctr.name}`;
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
          c.expect(find('ConfigMap', ref.configMapRef.name), file, `${where}: ConfigMap ${ref.configMapRef.name} not defined`);
        if (ref.secretRef) c.expect(find('Secret', ref.secretRef.name), file, `${where}: Secret ${ref.secretRef.name} not defined`);
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
    for (const v of (pod.volumes ?? []) as Obj[]) {
      if (v.persistentVolumeClaim)
        c.expect(
          find('PersistentVolumeClaim', v.persistentVolumeClaim.claimName),
          file,
          `${name}: PVC ${v.persistentVolumeClaim.claimName} not defined`,
        );
    }
  }

  const workers = find('Deployment', 'workers');
  if (workers && config) {
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
  const ingressDeploy = find('Deployment', 'ingress');
  if (ingressDeploy && config) {
    c.expect(
      ingressDeploy.obj.spec.template.spec.containers[0].ports?.some((p: Obj) => String(p.containerPort) === config.PORT),
      ingressDeploy.file,
      'ingress: container port = PORT',
    );
  }

  for (const { file, obj } of objects.filter((o) => ['Service', 'PodDisruptionBudget'].includes(o.obj.kind))) {
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
  c.expect(find('PodDisruptionBudget', 'ingress'), K8S_DIR, 'PodDisruptionBudget for the ingress');

  const scaled = objects.find((o) => o.obj.kind === 'ScaledObject');
  c.expect(scaled, K8S_DIR, 'KEDA ScaledObject for the workers');
  if (scaled) {
    const { file, obj } = scaled;
    const s = obj.spec ?? {};
    c.expect(
      s.scaleTargetRef?.kind === 'Deployment' && find('Deployment', s.scaleTargetRef?.name),
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
    if (trigger && config) {
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
  }
}

function checkKustomizations(c: Collector, files: string[]): void {
  const kustomizations = files.filter((f) => path.basename(f) === 'kustomization.yaml');
  for (const k of kustomizations) {
    const [doc] = c.yamlDocs(k);
    const dir = path.dirname(k);
    for (const r of (doc?.resources ?? []) as string[]) c.expect(existsSync(path.join(c.root, dir, r)), k, `resource ${r} missing`);
    // Every manifest beside a kustomization is listed, except templates.
    const listed = new Set(((doc?.resources ?? []) as string[]).map((r) => path.normalize(path.join(dir, r))));
    for (const f of files.filter((f) => path.dirname(f) === dir && f !== k && !f.includes('.template.'))) {
      c.expect(listed.has(f), k, `${path.basename(f)} is not in resources`);
    }
    if (c.options.kubectl === false) continue;
    const kubectl = spawnSync('kubectl', ['kustomize', path.join(c.root, dir)], { encoding: 'utf8', timeout: 30_000 });
    if (kubectl.error) {
      if (!c.skipped.some((s) => s.startsWith('kubectl'))) c.skipped.push('kubectl kustomize: kubectl not installed');
      continue;
    }
    c.checks.push(`kubectl kustomize ${dir}`);
    if (kubectl.status !== 0) c.add(k, `kubectl kustomize failed: ${kubectl.stderr.trim()}`);
    else for (const d of YAML.parseAllDocuments(kubectl.stdout)) for (const e of d.errors) c.add(k, `kustomize output: ${e.message}`);
  }
}

async function checkKubernetes(c: Collector): Promise<void> {
  const files = yamlFiles(c.root, K8S_DIR);
  c.expect(files.length > 0, K8S_DIR, 'no manifests');
  const objects: K8sObject[] = [];
  for (const file of files) {
    for (const obj of c.yamlDocs(file)) {
      if (!obj.apiVersion || !obj.kind) {
        c.add(file, 'a document without apiVersion/kind');
        continue;
      }
      if (obj.kind !== 'Kustomization') c.expect(obj.metadata?.name, file, `${obj.kind} without metadata.name`);
      objects.push({ file, obj });
    }
  }
  c.checks.push(`k8s: ${objects.length} objects in ${files.length} files: YAML + schemas (kubernetes-models)`);
  await checkSchemas(c, objects);
  checkK8sStructure(
    c,
    objects.filter((o) => o.obj.kind !== 'Kustomization'),
  );
  checkKustomizations(c, files);
}

// ---------------------------------------------------------------- Grafana --

/** medcita_* metric names the services register (prom-client `name: '...'`). */
function definedMetrics(root: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const abs = path.join(dir, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (e.endsWith('.ts')) for (const m of readFileSync(abs, 'utf8').matchAll(/name:\s*'(medcita_[a-z0-9_]+)'/g)) names.add(m[1]!);
    }
  };
  for (const ws of ['ingress/src', 'workers/src', 'shared/src']) if (existsSync(path.join(root, ws))) walk(path.join(root, ws));
  return names;
}

function checkGrafana(c: Collector): void {
  const dir = 'deploy/grafana/dashboards';
  for (const f of ['deploy/grafana/provisioning/datasources/prometheus.yml', 'deploy/grafana/provisioning/dashboards/medcita.yml'])
    c.yamlDocs(f);
  const file = `${dir}/medcita.json`;
  const text = c.read(file);
  if (text === undefined) return;
  let dash: Obj;
  try {
    dash = JSON.parse(text) as Obj;
  } catch (err) {
    c.add(file, `JSON: ${(err as Error).message}`);
    return;
  }
  c.checks.push('grafana: dashboard JSON and the series it queries');
  const defined = definedMetrics(c.root);
  const exprs = ((dash.panels ?? []) as Obj[]).flatMap((p) => ((p.targets ?? []) as Obj[]).map((t) => String(t.expr)));
  const used = new Set(
    exprs.flatMap((e) => [...e.matchAll(/\b(medcita_[a-z0-9_]+?)(?:_bucket|_count|_sum)?\b(?![a-z0-9_])/g)].map((m) => m[1]!)),
  );
  for (const m of used) c.expect(defined.has(m), file, `queries ${m}, which no service defines`);
  const titles = ((dash.panels ?? []) as Obj[]).map((p) => String(p.title).toLowerCase()).join(' | ');
  for (const t of [
    'webhooks by outcome',
    'queue depth',
    'turns per second',
    'ack-to-reply',
    'inference',
    'graph api errors',
    'lock expir',
    'rate-limit',
    'bookings',
  ]) {
    c.expect(titles.includes(t), file, `a panel about "${t}"`);
  }
}

// ------------------------------------------------------------------- main --

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
