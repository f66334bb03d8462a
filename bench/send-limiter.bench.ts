/**
 * `npm run bench:send-limiter`: how the fleet-wide send limiter copes with
 * random 130429 throttling. `--senders` concurrent Graph clients (a fleet of
 * workers' turns) send `--messages` replies each, through a private
 * redis-server and the fake Graph API, which answers each send with 130429
 * with probability p, for every p of `--rates`. Reports replies/s and the
 * time from asking to send until WhatsApp accepted, per p and relative to
 * p = 0.
 *
 *   npm run bench:send-limiter -- [--senders 24] [--messages 40] [--per-second 80]
 *     [--rates 0,0.005,0.025] [--out bench/results/send-limiter.json]
 */
import { createLogger } from '@medcita/shared';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { REPO_ROOT, startRedisServer } from '@medcita/testkit';
import { Redis } from 'ioredis';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GraphClient } from '../workers/src/whatsapp/graph-client.js';
import { machineInfo } from './lib/machine.js';
import { summarize, table, type Summary } from './lib/stats.js';

const { values: f } = parseArgs({
  options: {
    senders: { type: 'string', default: '24' },
    messages: { type: 'string', default: '40' },
    'per-second': { type: 'string', default: '80' },
    rates: { type: 'string', default: '0,0.005,0.025' },
    out: { type: 'string', default: 'bench/results/send-limiter.json' },
  },
});
const SENDERS = Number(f.senders);
const MESSAGES = Number(f.messages);
const PER_SECOND = Number(f['per-second']);
const RATES = f.rates.split(',').map(Number);
for (const [name, v] of [
  ['senders', SENDERS],
  ['messages', MESSAGES],
  ['per-second', PER_SECOND],
] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
}
if (RATES.some((r) => !(r >= 0 && r < 1))) throw new Error('--rates are probabilities in [0, 1)');

const PN = '106540352242922';

interface Run {
  throttleRate: number;
  replies: number;
  throttled: number;
  wallS: number;
  repliesPerSec: number;
  sendMs: Summary;
}

async function runOnce(redisUrl: string, throttleRate: number, round: number): Promise<Run> {
  const fake = await FakeGraphApi.start({ accessToken: 'bench' });
  const redis = new Redis(redisUrl);
  try {
    if (throttleRate > 0) fake.setRandomFaults(throttleRate, { status: 400, code: 130429 });
    const logger = createLogger({ level: 'silent', service: 'bench' });
    // One client per sender, as each worker process has its own; they share Redis.
    const clients = Array.from(
      { length: SENDERS },
      () =>
        new GraphClient({
          baseUrl: fake.url,
          version: 'v23.0',
          accessToken: 'bench',
          redis,
          keyPrefix: `bench${round}`,
          limiter: { perSecond: PER_SECOND },
          logger,
        }),
    );
    const sendMs: number[] = [];
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, s) => {
        for (let m = 0; m < MESSAGES; m++) {
          const t0 = performance.now();
          await client.send(
            { phoneNumberId: PN, waId: `5917${String(s * MESSAGES + m).padStart(8, '0')}` },
            { kind: 'text', body: 'hola' },
            { idempotencyKey: `s${s}:${m}` },
          );
          sendMs.push(performance.now() - t0);
        }
      }),
    );
    const wallMs = performance.now() - started;
    return {
      throttleRate,
      replies: fake.sent.length,
      throttled: fake.requests.filter((r) => r.errorCode === 130429).length,
      wallS: Math.round(wallMs) / 1000,
      repliesPerSec: Math.round((fake.sent.length / wallMs) * 10_000) / 10,
      sendMs: summarize(sendMs),
    };
  } finally {
    redis.disconnect();
    await fake.close();
  }
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const runs: Run[] = [];
  try {
    // A first run pays for cold connections and JIT; it is not reported.
    await runOnce(server.url, 0, -1);
    for (const [i, rate] of RATES.entries()) runs.push(await runOnce(server.url, rate, i));
  } finally {
    await server.stop();
  }
  const base = runs.find((r) => r.throttleRate === 0)?.repliesPerSec;
  console.log(`send limiter: ${SENDERS} senders × ${MESSAGES} replies, ceiling ${PER_SECOND}/s`);
  console.log(
    table(
      ['130429 rate', 'replies', 'throttled', 'wall s', 'replies/s', 'of fault-free', 'p50 ms', 'p95 ms', 'max ms'],
      runs.map((r) => [
        r.throttleRate,
        r.replies,
        r.throttled,
        r.wallS,
        r.repliesPerSec,
        base ? `${Math.round((r.repliesPerSec / base) * 100)} %` : '-',
        r.sendMs.p50,
        r.sendMs.p95,
        r.sendMs.max,
      ]),
    ),
  );
  const out = path.resolve(REPO_ROOT, f.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ benchmark: 'send-limiter', command: `npm run bench:send-limiter -- ${process.argv.slice(2).join(' ')}`.trim(), date: new Date().toISOString(), machine: machineInfo(), runs }, null, 2)}\n`,
  );
  console.log(`results written to ${path.relative(REPO_ROOT, out)}`);
}

await main();
