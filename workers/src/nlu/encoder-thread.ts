// Runs the transformers.js pipeline on its own thread. onnxruntime-node runs
// a session synchronously on the calling thread (its async `run` only defers
// with setImmediate), so on the main thread a batch on an e5-sized model
// would stall the event loop for hundreds of ms: BullMQ lock renewals, Redis
// replies and health checks would all wait behind it.
import { parentPort, workerData } from 'node:worker_threads';
import { env, pipeline, type FeatureExtractionPipeline, type ProgressInfo } from '@huggingface/transformers';
import type { ThreadRequest, ThreadResponse, ThreadSettings } from './encoder-protocol.js';
import { useModelFileCache } from './model-file-cache.js';

const settings = workerData as ThreadSettings;
const port = parentPort;
if (port === null) throw new Error('encoder-thread must run as a worker thread');

function send(message: ThreadResponse, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function embedChunk(extractor: FeatureExtractionPipeline, texts: string[]): Promise<{ data: Float32Array; dim: number }> {
  const output = await extractor(
    texts.map((t) => settings.prefix + t),
    { pooling: 'mean', normalize: true },
  );
  const dim = output.dims[1] as number;
  // A copy that owns its buffer, so it can be transferred without copying again.
  const data = (output.data as Float32Array).slice();
  output.dispose();
  return { data, dim };
}

// A batch is padded to its longest text, and attention cost grows with that
// length: run a big batch as sub-batches of similar length, in one message.
const SUB_BATCH = 8;

async function embed(extractor: FeatureExtractionPipeline, texts: string[]): Promise<{ data: Float32Array; dim: number }> {
  if (texts.length <= SUB_BATCH) return embedChunk(extractor, texts);
  const order = texts.map((_, i) => i).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
  let data: Float32Array | undefined;
  let dim = 0;
  for (let start = 0; start < order.length; start += SUB_BATCH) {
    const chunk = order.slice(start, start + SUB_BATCH);
    const part = await embedChunk(
      extractor,
      chunk.map((i) => texts[i] as string),
    );
    dim = part.dim;
    data ??= new Float32Array(texts.length * dim);
    chunk.forEach((i, row) => data?.set(part.data.subarray(row * dim, (row + 1) * dim), i * dim));
  }
  return { data: data as Float32Array, dim };
}

async function main(): Promise<void> {
  const started = performance.now();
  env.allowLocalModels = true;
  env.localModelPath = settings.modelDir;
  env.allowRemoteModels = !settings.offline;
  if (settings.hubUrl) env.remoteHost = settings.hubUrl;
  useModelFileCache(env, settings.cacheDir);
  const extractor = await pipeline('feature-extraction', settings.modelId, {
    dtype: settings.dtype,
    device: settings.device,
    progress_callback: (info: ProgressInfo) => send({ type: 'progress', info }),
    ...(settings.threads > 0 ? { session_options: { intraOpNumThreads: settings.threads } } : {}),
  });
  const loadMs = performance.now() - started;
  // The first inference allocates and optimizes; pay that before taking traffic.
  const warm = await embed(extractor, settings.warmupTexts);
  send({ type: 'ready', dim: warm.dim, loadMs, warmupMs: performance.now() - started - loadMs, inferences: 1 });

  port?.on('message', (request: ThreadRequest) => {
    if (request.type === 'close') {
      void extractor.dispose().finally(() => send({ type: 'closed' }));
      return;
    }
    embed(extractor, request.texts).then(
      ({ data, dim }) => send({ type: 'result', id: request.id, data, dim }, [data.buffer as ArrayBuffer]),
      (err: unknown) => send({ type: 'error', id: request.id, message: (err as Error).message }),
    );
  });
}

main().catch((err: unknown) => send({ type: 'failed', message: (err as Error).message }));
