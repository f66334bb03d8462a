/**
 * `npm run soak`: the whole pipeline under chaos, then proof that nothing was
 * lost, doubled, reordered or run twice at once (docs/reliability.md).
 *
 *   npm run soak -- [--messages 6000] [--sessions 600] [--workers 3] [--handler echo|dialog]
 *                   [--seed 1] [--parallel 16] [--kill-every-s 10] [--max-kills N]
 *                   [--no-redis-restart] [--no-redis-kill] [--ack-durability replica|none]
 *                   [--timeout-s 1800] [--out bench/results/soak.json]
 *
 * Exits 1 when any violation was found, 2 when the soak could not run.
 */
import { REPO_ROOT } from '@medcita/testkit';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from './report.js';
import { DEFAULT_SOAK, runSoak, type SoakOptions } from './run-soak.js';

function parseFlags() {
  try {
    return parseArgs({
      options: {
        messages: { type: 'string', default: String(DEFAULT_SOAK.messages) },
        sessions: { type: 'string', default: String(DEFAULT_SOAK.sessions) },
        workers: { type: 'string', default: String(DEFAULT_SOAK.workers) },
        handler: { type: 'string', default: DEFAULT_SOAK.handler },
        seed: { type: 'string', default: String(DEFAULT_SOAK.seed) },
        parallel: { type: 'string', default: String(DEFAULT_SOAK.parallel) },
        'kill-every-s': { type: 'string', default: String(DEFAULT_SOAK.killEveryMs / 1000) },
        'max-kills': { type: 'string' },
        'no-redis-restart': { type: 'boolean', default: false },
        'no-redis-kill': { type: 'boolean', default: false },
        'ack-durability': { type: 'string', default: DEFAULT_SOAK.ackDurability },
        'timeout-s': { type: 'string', default: String(DEFAULT_SOAK.timeoutMs / 1000) },
        out: { type: 'string' },
      },
    });
  } catch (err) {
    // An unknown or malformed flag: say which, with the usage, not a stack trace.
    process.stderr.write(`soak: ${(err as Error).message}\nusage: see the header of tools/soak/main.ts or docs/reliability.md\n`);
    process.exit(2);
  }
}
const { values: f } = parseFlags();

function positive(name: string, raw: string | undefined, min = 1): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`soak: --${name} must be an integer >= ${min}, got ${raw}\n`);
    process.exit(2);
  }
  return n;
}
if (f.handler !== 'echo' && f.handler !== 'dialog') {
  process.stderr.write(`soak: --handler is echo or dialog, got ${f.handler}\n`);
  process.exit(2);
}
if (f['ack-durability'] !== 'replica' && f['ack-durability'] !== 'none') {
  process.stderr.write(`soak: --ack-durability is replica or none (aof needs Redis >= 7.2), got ${f['ack-durability']}\n`);
  process.exit(2);
}
const opts: SoakOptions = {
  ...DEFAULT_SOAK,
  messages: positive('messages', f.messages),
  sessions: positive('sessions', f.sessions),
  workers: positive('workers', f.workers),
  handler: f.handler,
  seed: positive('seed', f.seed, 0),
  parallel: positive('parallel', f.parallel),
  killEveryMs: positive('kill-every-s', f['kill-every-s'], 0) * 1000,
  maxWorkerKills: f['max-kills'] === undefined ? Infinity : positive('max-kills', f['max-kills'], 0),
  redisRestart: !f['no-redis-restart'],
  redisKill: !f['no-redis-kill'],
  ackDurability: f['ack-durability'],
  timeoutMs: positive('timeout-s', f['timeout-s']) * 1000,
};
if (opts.handler === 'echo' && opts.sessions > opts.messages) {
  process.stderr.write('soak: --sessions must not exceed --messages\n');
  process.exit(2);
}

// Exit through process.exit so the child processes (ingress, workers, Redis, fake Graph API) are killed with the soak.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const say = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
try {
  const report = await runSoak(opts, say);
  const out = path.resolve(REPO_ROOT, f.out ?? `bench/results/soak-${opts.handler}-${report.figures.messages}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${summarize(report)}\n\nreport written to ${path.relative(REPO_ROOT, out)}\n`);
  process.exit(report.totalViolations === 0 ? 0 : 1);
} catch (err) {
  process.stderr.write(`soak: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
}
