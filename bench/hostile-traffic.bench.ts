/**
 * `npm run bench:hostile`: the ingress (its own process, default limits)
 * under slow 3 MiB uploads from many connections plus a flood of unsigned
 * bodies, while signed webhooks keep coming. Reports the ingress's peak RSS
 * (from /proc) and the signed webhooks' status counts and latency
 * percentiles (docs/operations.md, "Hostile traffic").
 *
 *   npm run bench:hostile -- [--duration 40] [--slow 100] [--flood-connections 8] [--signed-rate 50]
 */
import { content, inbound, signBody, webhookBody } from '@medcita/testkit/simulator';
import { freePort, httpReady, NodeService, REPO_ROOT, startRedisServer } from '@medcita/testkit';
import autocannon from 'autocannon';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: f } = parseArgs({
  options: {
    duration: { type: 'string', default: '40' },
    slow: { type: 'string', default: '100' },
    'flood-connections': { type: 'string', default: '8' },
    'signed-rate': { type: 'string', default: '50' },
    out: { type: 'string', default: 'bench/results/hostile-traffic.json' },
  },
});
const SECRET = 'bench-secret';
const DURATION_MS = Number(f.duration) * 1000;
const MiB = 1024 * 1024;

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Keeps `count` uploads of 3 MiB going at 16 KiB per 100 ms each, reconnecting when the server cuts one. */
function slowUploads(port: number, count: number, until: number) {
  const stats = { started: 0, answered: new Map<string, number>() };
  const one = () => {
    if (Date.now() > until) return;
    stats.started += 1;
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.write(
      `POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-hub-signature-256: sha256=${'ab'.repeat(32)}\r\ncontent-length: ${3 * MiB}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const timer = setInterval(() => s.writable && s.write(chunk), 100);
    s.once('data', (d) => {
      const code = /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1] ?? 'other';
      stats.answered.set(code, (stats.answered.get(code) ?? 0) + 1);
    });
    s.once('close', () => {
      clearInterval(timer);
      setTimeout(one, 50);
    });
    setTimeout(() => s.destroy(), Math.max(0, until - Date.now()));
  };
  for (let i = 0; i < count; i++) one();
  return stats;
}

async function signedLoop(port: number, perSecond: number, until: number) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let i = 0;
  const inFlight: Promise<void>[] = [];
  while (Date.now() < until) {
    const body = JSON.stringify(webhookBody([inbound({ waId: `5917${String(i % 1000).padStart(8, '0')}` }, content.text(`m ${i}`))]));
    i += 1;
    const t0 = performance.now();
    inFlight.push(
      fetch(`http://127.0.0.1:${port}/webhook`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(SECRET, body) },
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (r) => {
          await r.arrayBuffer();
          latencies.push(performance.now() - t0);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        },
        () => void statuses.set(0, (statuses.get(0) ?? 0) + 1),
      ),
    );
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  await Promise.all(inFlight);
  return { latencies: latencies.sort((a, b) => a - b), statuses };
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const port = await freePort();
  const ingress = await NodeService.start({
    name: 'ingress',
    entry: 'ingress/src/main.ts',
    env: {
      REDIS_URL: redis.url,
      PORT: String(port),
      ADMIN_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'v',
      LOG_LEVEL: 'error',
    },
    readyProbe: httpReady(`http://127.0.0.1:${port}/readyz`),
  });
  try {
    const baseline = await signedLoop(port, Number(f['signed-rate']), Date.now() + 5_000);
    const rssBefore = rssOf(ingress.pid);
    const until = Date.now() + DURATION_MS;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(ingress.pid))), 200);
    const slow = slowUploads(port, Number(f.slow), until);
    const flood = autocannon({
      url: `http://127.0.0.1:${port}/webhook`,
      connections: Number(f['flood-connections']),
      duration: Number(f.duration),
      method: 'POST',
      body: 'x'.repeat(64 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    const signed = await signedLoop(port, Number(f['signed-rate']), until);
    const floodResult = await flood;
    clearInterval(sampler);
    const summary = {
      benchmark: 'hostile-traffic',
      date: new Date().toISOString(),
      durationS: Number(f.duration),
      attack: {
        slowUploads: { concurrent: Number(f.slow), sizeMiB: 3, started: slow.started, answers: Object.fromEntries(slow.answered) },
        unsignedFlood: {
          connections: Number(f['flood-connections']),
          bodyKiB: 64,
          requests: floodResult.requests.total,
          non2xx: floodResult.non2xx,
          errors: floodResult.errors,
        },
      },
      ingressRssMiB: { beforeAttack: Math.round(rssBefore / MiB), peakDuringAttack: Math.round(peak / MiB) },
      signedQuiet: { p50Ms: round(pct(baseline.latencies, 50)), p99Ms: round(pct(baseline.latencies, 99)) },
      signedDuringAttack: {
        sent: signed.latencies.length,
        statuses: Object.fromEntries(signed.statuses),
        p50Ms: round(pct(signed.latencies, 50)),
        p99Ms: round(pct(signed.latencies, 99)),
        maxMs: round(signed.latencies.at(-1) ?? NaN),
      },
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    const out = path.resolve(REPO_ROOT, f.out);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await ingress.stop();
    await redis.stop();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
await main();
process.exit(0);
