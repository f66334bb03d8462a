// One bench variant in its own process, so resident memory is that variant's alone.
// Usage (by bench/nlu.bench.ts): nlu-measure.ts <lexical|encoder> [modelDir modelId artifact]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '@medcita/shared';
import { readExamplesFile, DEV_FILE } from '../workers/src/nlu/dataset.js';
import { createNlu, type Nlu } from '../workers/src/nlu/nlu.js';

export interface BatchFigures {
  readonly batch: number;
  readonly messages: number;
  readonly perSecond: number;
  /** Messages per second of CPU time (all threads): throughput per core, whatever else runs on the machine. */
  readonly perCpuSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface VariantFigures {
  readonly rssMbAfterLoad: number;
  readonly loadMs: number;
  readonly maxEventLoopDelayMs: number;
  readonly p99EventLoopDelayMs: number;
  readonly batches: BatchFigures[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measureBatch(nlu: Nlu, texts: string[], batch: number, messages: number): Promise<BatchFigures> {
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  while (latencies.length < messages) {
    const round = Array.from({ length: batch }, () => texts[next++ % texts.length] as string);
    await Promise.all(
      round.map(async (text) => {
        const t0 = performance.now();
        await nlu.understand(text);
        latencies.push(performance.now() - t0);
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  latencies.sort((a, b) => a - b);
  return {
    batch,
    messages: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    perCpuSecond: Math.round(latencies.length / cpuSeconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(3)),
    p95Ms: Number(percentile(latencies, 95).toFixed(3)),
  };
}

const [variant, modelDir, modelId, artifactPath] = process.argv.slice(2);
const texts = readExamplesFile(DEV_FILE).map((e) => e.text);
const logger = createLogger({ level: 'warn', service: 'nlu-bench', destination: process.stderr });
const loadStarted = performance.now();
const nlu = await createNlu(
  {
    artifactPath,
    minConfidence: 0.55,
    minSpecialtyConfidence: 0.5,
    encoder:
      variant === 'encoder'
        ? {
            modelId: modelId as string,
            modelDir: modelDir as string,
            dtype: 'q8',
            device: 'cpu',
            offline: true,
            prefix: '',
            threads: Number(process.env.MODEL_THREADS ?? 0),
            batchMaxItems: 32,
            batchWaitMs: Number(process.env.NLU_BATCH_WAIT_MS ?? 2),
          }
        : undefined,
  },
  logger,
);
const loadMs = Math.round(performance.now() - loadStarted);
const rssMbAfterLoad = Math.round(process.memoryUsage().rss / 2 ** 20);
// Warm the JIT on the classifier path before timing.
for (const t of texts.slice(0, 50)) await nlu.understand(t);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const budget = variant === 'encoder' ? { 1: 200, 8: 400, 32: 960 } : { 1: 20_000, 8: 40_000, 32: 64_000 };
const batches: BatchFigures[] = [];
for (const batch of [1, 8, 32] as const) batches.push(await measureBatch(nlu, texts, batch, budget[batch]));
delay.disable();
await nlu.close();
const figures: VariantFigures = {
  rssMbAfterLoad,
  loadMs,
  maxEventLoopDelayMs: Number((delay.max / 1e6).toFixed(1)),
  p99EventLoopDelayMs: Number((delay.percentile(99) / 1e6).toFixed(1)),
  batches,
};
console.log(JSON.stringify(figures));
