/**
 * `npm run bench:scale`: the pipeline benchmark with 1, 2, 3 and 4 worker
 * processes under the same load, then throughput efficiency
 * (turns/s ÷ (workers × single-worker turns/s)) and a chart at
 * docs/img/scaling.svg. Extra flags go to bench:pipeline
 * (e.g. `-- --sessions 50 --handler echo`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@medcita/testkit';
import { table } from './lib/stats.js';

const OUT = 'bench/results/scale.json';
const extra = process.argv.slice(2);
const args = ['--conditions=source', '--import', 'tsx', 'bench/pipeline.bench.ts', '--workers', '1,2,3,4', '--out', OUT, ...extra];
const child = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
if (child.status !== 0) process.exit(child.status ?? 1);

interface Run {
  workers: number;
  turnsPerSec: number;
  ackToReplyMs: { p50: number; p95: number };
  cpuPercentOfOneCore: Record<string, number | null>;
}
const result = JSON.parse(readFileSync(path.join(REPO_ROOT, OUT), 'utf8')) as { runs: Run[]; machine: { cores: number } };
const base = result.runs.find((r) => r.workers === 1)!.turnsPerSec;
const rows = result.runs.map((r) => ({
  workers: r.workers,
  turnsPerSec: r.turnsPerSec,
  p95: r.ackToReplyMs.p95,
  efficiency: Math.round((r.turnsPerSec / (r.workers * base)) * 100) / 100,
  cpu: Object.entries(r.cpuPercentOfOneCore)
    .map(([k, v]) => `${k} ${v ?? '?'}`)
    .join(', '),
}));
process.stdout.write(`\nscaling on ${os.availableParallelism()} cores\n`);
process.stdout.write(
  `${table(
    ['workers', 'turns/s', 'p95 ms', 'efficiency', 'CPU (% of one core)'],
    rows.map((r) => [r.workers, r.turnsPerSec, r.p95, r.efficiency, r.cpu]),
  )}\n`,
);
const withEfficiency = { ...result, scaling: rows };
writeFileSync(path.join(REPO_ROOT, OUT), `${JSON.stringify(withEfficiency, null, 2)}\n`);

/** A small dependency-free SVG: measured turns/s, ideal linear scaling, p95 labels. */
function chart(points: typeof rows, cores: number): string {
  const W = 560,
    H = 320,
    L = 60,
    R = 20,
    T = 30,
    B = 50;
  const maxX = Math.max(...points.map((p) => p.workers));
  const maxY = Math.max(...points.map((p) => Math.max(p.turnsPerSec, p.workers * base))) * 1.1;
  const x = (w: number) => L + ((w - 1) / Math.max(1, maxX - 1)) * (W - L - R);
  const y = (v: number) => H - B - (v / maxY) * (H - T - B);
  const line = (vals: [number, number][]) => vals.map(([a, b], i) => `${i ? 'L' : 'M'}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
  const ticks = Array.from({ length: 5 }, (_, i) => (maxY / 4) * i);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">Turns/s by worker processes (${cores}-core machine)</text>
${ticks.map((t) => `<line x1="${L}" x2="${W - R}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/><text x="${L - 6}" y="${y(t) + 4}" text-anchor="end">${Math.round(t)}</text>`).join('\n')}
${points.map((p) => `<text x="${x(p.workers)}" y="${H - B + 18}" text-anchor="middle">${p.workers}</text>`).join('\n')}
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">worker processes</text>
<line x1="${x(cores)}" x2="${x(cores)}" y1="${T}" y2="${H - B}" stroke="#bbb" stroke-dasharray="4 4"/><text x="${x(cores) + 4}" y="${T + 12}" fill="#888">cores</text>
<path d="${line(points.map((p) => [p.workers, p.workers * base]))}" fill="none" stroke="#aaa" stroke-dasharray="6 4"/>
<path d="${line(points.map((p) => [p.workers, p.turnsPerSec]))}" fill="none" stroke="#1f6feb" stroke-width="2.5"/>
${points.map((p) => `<circle cx="${x(p.workers)}" cy="${y(p.turnsPerSec)}" r="4" fill="#1f6feb"/><text x="${x(p.workers)}" y="${y(p.turnsPerSec) - 10}" text-anchor="${p.workers === 1 ? 'start' : p.workers === maxX ? 'end' : 'middle'}">${p.turnsPerSec} (eff ${p.efficiency}, p95 ${p.p95} ms)</text>`).join('\n')}
<text x="${W - R}" y="${T + 12}" text-anchor="end" fill="#1f6feb">measured</text><text x="${W - R}" y="${T + 26}" text-anchor="end" fill="#888">ideal linear</text>
</svg>
`;
}
mkdirSync(path.join(REPO_ROOT, 'docs/img'), { recursive: true });
writeFileSync(path.join(REPO_ROOT, 'docs/img/scaling.svg'), chart(rows, os.availableParallelism()));
process.stdout.write('chart written to docs/img/scaling.svg\n');
