// npm run bench:worker-memory [-- --big-model /tmp/models/e5-small-shape] [--runs 3] [--seconds 30]
//   [--baseline-worker /path/to/other/checkout/workers/dist/main.js]
// Resident memory of a real worker process (the built workers/dist/main.js,
// as deployed): at /readyz 200, its peak (VmHWM) and after it settles. The
// Kubernetes memory limit must cover the peak; the request, the settled
// figure. Lexical-only is measured in the same run as the baseline; a second
// build (e.g. a worktree of an older commit) can be measured beside this one.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, REPO_ROOT } from '@medcita/testkit';
import { machineInfo } from './lib/machine.js';
import { bigArtifact } from './lib/nlu-artifact.js';
import { summarize, table } from './lib/stats.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    'big-model': { type: 'string', default: process.env.NLU_BENCH_BIG_MODEL ?? '/tmp/models/e5-small-shape' },
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '30' },
    'baseline-worker': { type: 'string' },
  },
});
const runs = Number(values.runs);
const settleMs = Number(values.seconds) * 1000;
const thisWorker = path.join(REPO_ROOT, 'workers', 'dist', 'main.js');
if (!existsSync(thisWorker)) throw new Error('build first: npm run build');

interface Sample {
  readyMs: number;
  atReadyMb: number;
  peakMb: number;
  settledMb: number;
}

function statusKb(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function measure(worker: string, env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const child = spawn(process.execPath, [worker], {
    env: {
      ...process.env,
      WHATSAPP_APP_SECRET: 'bench',
      WHATSAPP_VERIFY_TOKEN: 'bench',
      WHATSAPP_ACCESS_TOKEN: 'bench',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/14',
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = performance.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error('worker not ready in 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const readyMs = performance.now() - started;
    const atReadyMb = statusKb(child.pid as number, 'VmRSS') / 1024;
    await new Promise((r) => setTimeout(r, settleMs));
    return {
      readyMs: Math.round(readyMs),
      atReadyMb: Math.round(atReadyMb),
      peakMb: Math.round(statusKb(child.pid as number, 'VmHWM') / 1024),
      settledMb: Math.round(statusKb(child.pid as number, 'VmRSS') / 1024),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const big = values['big-model'];
if (!existsSync(path.join(big, 'onnx', 'model_quantized.onnx'))) {
  throw new Error(`no ${big}/onnx/model_quantized.onnx: make one with models/make-synthetic-encoder.py (see models/README.md)`);
}
const modelDir = path.dirname(big);
const modelId = path.basename(big);
const encoderEnv = {
  NLU_ENCODER: 'true',
  MODEL_ID: modelId,
  MODEL_DIR: modelDir,
  MODEL_OFFLINE: 'true',
  NLU_ARTIFACT: await bigArtifact(modelDir, modelId),
};
const variants: Array<[string, string, Record<string, string>]> = [
  ['lexical only', thisWorker, {}],
  [`+ ${modelId}`, thisWorker, encoderEnv],
];
if (values['baseline-worker']) variants.push([`+ ${modelId}, baseline build`, values['baseline-worker'], encoderEnv]);

const results: Record<string, Sample[]> = {};
// Interleaved, so a busy moment on the machine does not land on one variant only.
for (let i = 0; i < runs; i++) {
  for (const [name, worker, env] of variants) {
    const sample = await measure(worker, env);
    (results[name] ??= []).push(sample);
    console.error(`${name} run ${i + 1}: ${JSON.stringify(sample)}`);
  }
}

const rows = Object.entries(results).map(([name, samples]) => {
  const med = (k: keyof Sample): number => summarize(samples.map((s) => s[k])).p50;
  const max = (k: keyof Sample): number => Math.max(...samples.map((s) => s[k]));
  return [
    name,
    med('readyMs'),
    med('atReadyMb'),
    `${med('peakMb')} (max ${max('peakMb')})`,
    `${med('settledMb')} (max ${max('settledMb')})`,
  ];
});
console.log(`\nworker RSS, ${runs} runs each, medians; settled = ${settleMs / 1000} s after ready; ${machineInfo().cores} cores`);
console.log(table(['variant', 'ready ms', 'MB at ready', 'peak MB', 'settled MB'], rows));
const out = path.join(HERE, 'results', 'worker-memory.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ machine: machineInfo(), runs, settleSeconds: settleMs / 1000, results }, null, 2)}\n`);
console.log(`\nwritten ${path.relative(REPO_ROOT, out)}`);
