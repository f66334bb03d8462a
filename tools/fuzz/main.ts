/**
 * `npm run fuzz`: mutated real webhook deliveries through signature check,
 * parse and accept, against a private redis-server (docs/reliability.md).
 *
 *   npm run fuzz -- [--runs 1000000] [--seed 1] [--lanes 8] [--redis-url redis://…] [--save-corpus]
 *
 * Replays tools/fuzz/corpus/ first. An input that breaks an invariant is
 * written there as crash-<hash>.json (replayed by e2e/test/fuzz-corpus.test.ts)
 * and the command exits 1. `--save-corpus` also keeps the first input of each
 * new (answer, outcome, shape) there.
 */
import { REPO_ROOT, startRedisServer } from '@medcita/testkit';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus, saveEntry } from './corpus.js';
import { runFuzz } from './run-fuzz.js';

const { values: f } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    lanes: { type: 'string', default: '8' },
    epoch: { type: 'string', default: '20000' },
    'redis-url': { type: 'string' },
    'save-corpus': { type: 'boolean', default: false },
  },
});
const runs = Number(f.runs);
const seed = Number(f.seed);
const lanes = Number(f.lanes);
const epoch = Number(f.epoch);
if (![runs, seed, lanes, epoch].every((n) => Number.isInteger(n) && n >= 0) || lanes < 1 || epoch < 1) {
  process.stderr.write('fuzz: --runs, --seed, --lanes and --epoch are non-negative integers (lanes, epoch >= 1)\n');
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const server = f['redis-url'] ? undefined : await startRedisServer();
const corpusDir = path.join(REPO_ROOT, 'tools/fuzz/corpus');
const corpus = loadCorpus(corpusDir);
say(
  `${corpus.length} corpus inputs, then ${runs} mutations (seed ${seed}, ${lanes} lanes) on ${f['redis-url'] ?? `a private redis-server (${server!.url})`}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
try {
  const result = await runFuzz({
    runs,
    seed,
    lanes,
    epoch,
    redisUrl: f['redis-url'] ?? server!.url,
    corpus,
    onProgress: (done, perSecond) => say(`${done} executions, ${perSecond}/s`),
  });
  say(
    `${result.runs} executions in ${result.seconds} s: ${result.perSecond}/s; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const [outcome, n] of Object.entries(result.outcomes).sort((a, b) => b[1] - a[1])) say(`  ${outcome}: ${n}`);
  if (f['save-corpus']) for (const e of result.interesting) saveEntry(corpusDir, e);
  for (const e of result.failures) say(`CRASH ${saveEntry(corpusDir, e)}: ${e.failure}`);
  if (result.failures.length === 0) say('no invariant broken');
  process.exitCode = result.failures.length === 0 ? 0 : 1;
} finally {
  await server?.stop();
}
process.exit();
