// docker-compose.yml: the Compose Specification schema (the one dclint
// bundles), then what docs/deploy.md requires of the stack: Redis durability
// settings, services built from Dockerfile stages, worker replicas sharing the
// model cache, Grafana provisioning, bind mounts that exist.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { checkEnvValues } from '../env-docs/env-table.js';
import type { Collector, Obj } from './collector.js';
import { dockerfileTargets } from './dockerfile.js';
import { checkPrometheusScrapes } from './prometheus.js';

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

export function checkCompose(c: Collector): void {
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

  // Prometheus finds the ingress and every worker replica through DNS, on the ports their environment gives them.
  checkPrometheusScrapes(c, prometheus, { ingress: envOf(ingress ?? {}).PORT, workers: envOf(workers ?? {}).METRICS_PORT });

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
