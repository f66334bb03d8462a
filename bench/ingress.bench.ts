/**
 * `npm run bench:ingress`: signed webhook POSTs with autocannon against the
 * ingress (its own process, real Redis), next to a bare Express endpoint
 * measured in the same run as the baseline. Two phases per target: "max"
 * (as fast as `--connections` closed-loop connections go) and "rate" (a fixed
 * offered load, default 5,000 req/s, to read latency at the target rate).
 *
 *   npm run bench:ingress -- [--duration 10] [--connections 32] [--rate 5000]
 *     [--sessions 5000] [--private-redis] [--log-level info] [--out bench/results/ingress.json] [--cpu-prof]
 *
 * Every request is a distinct, validly signed delivery of one text message
 * with a unique wamid, spread round-robin over `--sessions` users. No workers
 * run: the queue fills and is obliterated afterwards, with every key of this
 * run's private KEY_PREFIX / QUEUE_PREFIX (never FLUSHALL: Redis may be shared).
 */
import { QueueName } from '@medcita/shared';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, httpReady, logMsg, NodeService, REPO_ROOT } from '@medcita/testkit';
import { maskRedisUrl, resolveRedis } from '../tools/stack/redis-target.js';
import { APP_SECRET, BodyPool, load, type PhaseResult } from './ingress-load.js';
import { processCpuMs, redisCpuMs, selfCpuProbe, type CpuProbe } from './lib/cpu.js';
import { machineInfo } from './lib/machine.js';
import { countKeys, deleteKeys } from './lib/redis-cleanup.js';
import { table } from './lib/stats.js';

const { values: f } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '5000' },
    sessions: { type: 'string', default: '5000' },
    'max-bodies': { type: 'string', default: '150000' },
    'private-redis': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    out: { type: 'string', default: 'bench/results/ingress.json' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const num = (name: string, v: string | undefined, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${v}`);
  return n;
};
const DURATION = num('duration', f.duration, 1, 120);
const WARMUP = num('warmup', f.warmup, 0, 30);
const CONNECTIONS = num('connections', f.connections, 1, 1000);
const RATE = num('rate', f.rate, 1, 100_000);
const SESSIONS = num('sessions', f.sessions, 1, 1_000_000);
const MAX_BODIES = num('max-bodies', f['max-bodies'], 1000, 1_000_000);
const SHAPE = { connections: CONNECTIONS, rate: RATE };
const say = (s: string) => process.stdout.write(s + '\n');

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = machineInfo();
  const redisTarget = await resolveRedis({ url: process.env.REDIS_URL, forcePrivate: f['private-redis'] });
  const prefix = `bench-ingress-${randomUUID().slice(0, 8)}`;
  const env = {
    REDIS_URL: redisTarget.url,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    KEY_PREFIX: prefix,
    QUEUE_PREFIX: `{${prefix}}`,
    LOG_LEVEL: f['log-level'],
  };
  const redis = new Redis(redisTarget.url, { maxRetriesPerRequest: 2 });
  const services: NodeService[] = [];
  say(`ingress bench: ${machine.cores} cores, Redis ${maskRedisUrl(redisTarget.url)} (${redisTarget.source}), prefix ${prefix}`);
  try {
    const barePool = new BodyPool(SESSIONS, true);
    barePool.fill(20_000);
    const ingressPool = new BodyPool(SESSIONS, false);

    const profileDir = path.join(REPO_ROOT, '.cache', 'profiles');
    const ingressPort = await freePort();
    const ingress = await NodeService.start({
      name: 'ingress',
      entry: 'ingress/src/main.ts',
      env: { ...env, PORT: String(ingressPort), ADMIN_PORT: '0' },
      // Readiness by /readyz, not a log line: --log-level warn silences "ingress listening".
      readyProbe: httpReady(`http://127.0.0.1:${ingressPort}/readyz`),
      ...(f['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    });
    services.push(ingress);
    const bare = await NodeService.start({ name: 'bare', entry: 'bench/lib/bare-express.ts', env: {}, ready: logMsg('bare listening') });
    services.push(bare);
    const portOf = (s: NodeService) => (s === ingress ? ingressPort : Number(s.readyLine!.json!.port));

    const redisProbe: CpuProbe = { name: redisTarget.source === 'private' ? 'redis' : 'redis (shared)', read: () => redisCpuMs(redis) };
    const loadgen = selfCpuProbe('autocannon');
    const probesFor = (s: NodeService): CpuProbe[] => [{ name: s.name, read: () => processCpuMs(s.pid) }, redisProbe, loadgen];

    const results: PhaseResult[] = [];
    let bareMax = 0;
    for (const [target, service, pool] of [
      ['bare express', bare, barePool],
      ['ingress', ingress, ingressPool],
    ] as const) {
      if (pool === ingressPool) {
        // Enough distinct deliveries for warm-up + both phases, sized on what bare Express managed (the ingress does less).
        const perSecond = Math.max(1_000, bareMax * 1.2);
        const t0 = Date.now();
        const count = Math.min(MAX_BODIES, Math.ceil((WARMUP + DURATION) * perSecond + DURATION * Math.min(RATE, perSecond)));
        pool.fill(count);
        say(`  signed ${count} distinct deliveries over ${SESSIONS} sessions in ${Date.now() - t0} ms`);
      }
      if (WARMUP > 0) await load(target, portOf(service), pool, 'max', WARMUP, [], SHAPE);
      for (const phase of ['max', 'rate'] as const) {
        say(`  ${target}: ${phase === 'max' ? `max, ${CONNECTIONS} connections` : `${RATE} req/s offered`}, ${DURATION} s…`);
        const r = await load(target, portOf(service), pool, phase, DURATION, probesFor(service), SHAPE);
        if (target === 'bare express' && phase === 'max') bareMax = r.reqPerSec;
        results.push(r);
      }
    }

    const rows = results.map((r) => [
      r.target,
      r.phase === 'max' ? `max (${r.connections} conn)` : `${r.offeredRate}/s offered`,
      r.reqPerSec,
      r.latencyMs.p50,
      r.latencyMs.p99,
      r.latencyMs.max,
      `${r.errors}/${r.non2xx}`,
      r.serverCpuMsPerRequest ?? '?',
      Object.entries(r.cpuPercentOfOneCore)
        .map(([k, v]) => `${k} ${v ?? '?'}%`)
        .join(', '),
    ]);
    say('');
    say(table(['target', 'load', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'err/non2xx', 'CPU ms/req', 'CPU (% of one core)'], rows));
    const ingressMax = results.find((r) => r.target === 'ingress' && r.phase === 'max')!;
    const ingressRate = results.find((r) => r.target === 'ingress' && r.phase === 'rate')!;
    const bareMaxResult = results.find((r) => r.target === 'bare express' && r.phase === 'max')!;
    const verdict = {
      ingressMaxReqPerSec: ingressMax.reqPerSec,
      ratioToBareExpress: Math.round((ingressMax.reqPerSec / bareMaxResult.reqPerSec) * 100) / 100,
      atTargetRate: { offered: RATE, achieved: ingressRate.reqPerSec, p99Ms: ingressRate.latencyMs.p99 },
      meets5000PerSec: ingressMax.reqPerSec >= 5000 && ingressMax.errors + ingressMax.non2xx === 0,
      meetsP99Under20MsAtTarget:
        ingressRate.reqPerSec >= RATE * 0.98 && ingressRate.latencyMs.p99 < 20 && ingressRate.errors + ingressRate.non2xx === 0,
      meetsHalfOfBare: ingressMax.reqPerSec >= bareMaxResult.reqPerSec / 2,
      deliveriesSigned: ingressPool.used,
      signedDuringLoad: ingressPool.signedDuringLoad,
    };
    say('');
    say(
      `cores: ${machine.cores}; ingress ${verdict.ingressMaxReqPerSec} req/s max = ${verdict.ratioToBareExpress}× bare Express; ` +
        `at ${RATE}/s offered: ${ingressRate.reqPerSec}/s achieved, p99 ${ingressRate.latencyMs.p99} ms`,
    );
    say(
      `targets: ≥5,000/s ${verdict.meets5000PerSec ? 'MET' : 'MISSED'}; p99 < 20 ms at ${RATE}/s ${verdict.meetsP99Under20MsAtTarget ? 'MET' : 'MISSED'}; ≥ half of bare Express ${verdict.meetsHalfOfBare ? 'MET' : 'MISSED'}`,
    );
    if (ingressPool.signedDuringLoad > 0)
      say(
        `note: ${ingressPool.signedDuringLoad} deliveries were signed during the load (the pool ran dry): the load generator paid for them`,
      );

    const depthQueue = new Queue(QueueName.Turns, { connection: redis, prefix: `{${prefix}}` });
    const queueDepth = await depthQueue.count();
    await depthQueue.close();
    const out = path.resolve(REPO_ROOT, f.out);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      JSON.stringify(
        {
          benchmark: 'ingress',
          command: `npm run bench:ingress -- ${process.argv.slice(2).join(' ')}`.trim(),
          date: startedAt.toISOString(),
          loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
          machine,
          redis: {
            source: redisTarget.source,
            note: redisTarget.source === 'existing' ? 'shared Redis: its CPU figure includes other clients' : 'private redis-server',
          },
          settings: {
            durationS: DURATION,
            warmupS: WARMUP,
            connections: CONNECTIONS,
            offeredRate: RATE,
            sessions: SESSIONS,
            logLevel: f['log-level'],
            distinctDeliveries: ingressPool.used,
          },
          results,
          verdict,
          queueJobsAtEnd: queueDepth,
        },
        null,
        2,
      ) + '\n',
    );
    say(`results written to ${path.relative(REPO_ROOT, out)}`);
    if (f['cpu-prof']) say(`ingress CPU profile: ${path.relative(REPO_ROOT, profileDir)}/ (written when the ingress exits)`);
  } finally {
    await Promise.allSettled(services.map((s) => s.stop('SIGTERM')));
    const queue = new Queue(QueueName.Turns, { connection: redis, prefix: `{${prefix}}` });
    await queue.obliterate({ force: true }).catch((err: Error) => say(`obliterate failed: ${err.message}`));
    await queue.close();
    const deleted = (await deleteKeys(redis, `${prefix}:*`)) + (await deleteKeys(redis, `{${prefix}}:*`));
    const left = (await countKeys(redis, `${prefix}:*`)) + (await countKeys(redis, `{${prefix}}:*`));
    say(`cleanup: queue obliterated, ${deleted} keys of ${prefix} deleted, ${left} left`);
    redis.disconnect();
    await redisTarget.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:ingress: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
