// The Grafana dashboard: JSON, the panels operations relies on, and every
// medcita_* series it queries is one the services define.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Collector, Obj } from './collector.js';

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

export function checkGrafana(c: Collector): void {
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
