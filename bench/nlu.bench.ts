// npm run bench:nlu [-- --big-model /tmp/models/e5-small-shape]
// Messages/s and per-message p50/p95 at batch (concurrency) 1, 8, 32; resident
// memory after load; worst event-loop delay. Each variant runs in its own process.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@medcita/testkit';
import { bigArtifact } from './lib/nlu-artifact.js';
import type { VariantFigures } from './nlu-measure.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { 'big-model': { type: 'string', default: process.env.NLU_BENCH_BIG_MODEL ?? '/tmp/models/e5-small-shape' } },
});
const repoModels = path.resolve(REPO_ROOT, 'models');

function run(args: string[]): VariantFigures {
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(HERE, 'nlu-measure.ts'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as VariantFigures;
}

const rows: Array<[string, VariantFigures]> = [];
rows.push(['lexical only', run(['lexical'])]);
rows.push(['synthetic-embed-es (2 layers, 128-d, random weights)', run(['encoder', repoModels, 'synthetic-embed-es'])]);
const big = values['big-model'];
if (existsSync(path.join(big, 'onnx', 'model_quantized.onnx'))) {
  const modelDir = path.dirname(big);
  const modelId = path.basename(big);
  rows.push([`${modelId} (e5-small shape, random weights)`, run(['encoder', modelDir, modelId, await bigArtifact(modelDir, modelId)])]);
} else {
  console.log(
    `(skipped the e5-small-size row: no ${big}/onnx/model_quantized.onnx; make one with models/make-synthetic-encoder.py ` +
      `and pass --big-model <dir> or NLU_BENCH_BIG_MODEL)`,
  );
}

console.log(
  `\nNLU bench on ${os.cpus().length} cores, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const [name, f] of rows) {
  console.log(
    `\n${name}: RSS after load ${f.rssMbAfterLoad} MB, load ${f.loadMs} ms, event-loop delay max ${f.maxEventLoopDelayMs} ms / p99 ${f.p99EventLoopDelayMs} ms`,
  );
  console.log('  batch   messages/s   per CPU-s    p50 ms    p95 ms   (messages)');
  for (const b of f.batches) {
    console.log(
      `  ${String(b.batch).padStart(5)} ${String(b.perSecond).padStart(12)} ${String(b.perCpuSecond).padStart(11)} ` +
        `${b.p50Ms.toFixed(3).padStart(9)} ${b.p95Ms.toFixed(3).padStart(9)}   (${b.messages})`,
    );
  }
}
