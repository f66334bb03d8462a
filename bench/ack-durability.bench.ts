/**
 * `npm run bench:ack-durability`: what REDIS_ACK_DURABILITY costs at the
 * webhook. One private primary with one replica (`redis-server --replicaof`)
 * on this machine; the ingress as its own process; autocannon posts distinct
 * signed deliveries, first as fast as `--connections` go, then at `--rate`.
 *
 *   npm run bench:ack-durability -- [--duration 10] [--connections 16] [--rate 500] [--modes none,replica]
 *
 * `aof` needs WAITAOF (Redis >= 7.2); on an older redis-server it is
 * reported as refused, which is what the ingress does.
 */
import { content, inbound, signBody, webhookBody } from '@medcita/testkit/simulator';
import { freePort, httpReady, NodeService, REPO_ROOT, startRedisServer } from '@medcita/testkit';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: f } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    rate: { type: 'string', default: '500' },
    modes: { type: 'string', default: 'none,replica,aof' },
    out: { type: 'string', default: 'bench/results/ack-durability.json' },
  },
});
const SECRET = 'bench-secret';
let seq = 0;
const delivery = () => {
  const i = seq++;
  const body = JSON.stringify(webhookBody([inbound({ waId: `5917${String(i % 5000).padStart(8, '0')}` }, content.text(`m ${i}`))]));
  return { body, signature: signBody(SECRET, body) };
};

async function run(port: number, phase: 'max' | 'rate') {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/webhook`,
    connections: Number(f.connections),
    duration: Number(f.duration),
    ...(phase === 'rate' ? { overallRate: Number(f.rate) } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const d = delivery();
          return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature } };
        },
      },
    ],
  });
  return {
    phase,
    reqPerSec: Math.round(r.requests.total / r.duration),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

async function main(): Promise<void> {
  const primary = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec']);
  const replica = await startRedisServer(['--replicaof', '127.0.0.1', String(primary.port)]);
  const probe = new Redis(replica.url);
  while (!/master_link_status:up/.test(await probe.info('replication'))) await new Promise((r) => setTimeout(r, 50));
  probe.disconnect();
  const version = /redis_version:(\S+)/.exec(await new Redis(primary.url).info('server').then((s) => s))?.[1];
  const results: Record<string, unknown>[] = [];
  try {
    for (const mode of f.modes.split(',')) {
      const port = await freePort();
      let ingress: NodeService;
      try {
        ingress = await NodeService.start({
          name: `ingress-${mode}`,
          entry: 'ingress/src/main.ts',
          env: {
            REDIS_URL: primary.url,
            PORT: String(port),
            ADMIN_PORT: '0',
            WHATSAPP_APP_SECRET: SECRET,
            WHATSAPP_VERIFY_TOKEN: 'v',
            LOG_LEVEL: 'warn',
            REDIS_ACK_DURABILITY: mode,
            REDIS_ACK_REPLICAS: mode === 'aof' ? '0' : '1',
            KEY_PREFIX: `bench-${mode}`,
          },
          readyProbe: httpReady(`http://127.0.0.1:${port}/readyz`),
        });
      } catch (err) {
        results.push({ mode, refused: String((err as Error).message).slice(0, 400) });
        process.stdout.write(`${mode}: refused to start: ${String((err as Error).message).slice(0, 400)}\n`);
        continue;
      }
      try {
        await run(port, 'max'); // warm-up
        for (const phase of ['max', 'rate'] as const) {
          const r = await run(port, phase);
          results.push({ mode, ...r });
          process.stdout.write(
            `${mode} ${phase}: ${r.reqPerSec} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}\n`,
          );
        }
      } finally {
        await ingress.stop();
      }
    }
  } finally {
    await replica.stop();
    await primary.stop();
  }
  const out = path.resolve(REPO_ROOT, f.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ benchmark: 'ack-durability', date: new Date().toISOString(), redis: version, connections: Number(f.connections), rate: Number(f.rate), results }, null, 2)}\n`,
  );
}

await main();
process.exit(0);
