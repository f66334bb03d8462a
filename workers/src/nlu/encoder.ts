import { LogEvent } from '@medcita/shared';
import { Worker } from 'node:worker_threads';
import type { ProgressInfo } from '@huggingface/transformers';
import type { Logger } from '@medcita/shared';
import type { EncoderSpec } from './artifact.js';
import type { ThreadRequest, ThreadResponse, ThreadSettings } from './encoder-protocol.js';
import { MicroBatcher } from './micro-batcher.js';
import { resolveFromRoot } from './paths.js';

export interface EncoderOptions {
  /** Hub id or folder name under modelDir ("Xenova/multilingual-e5-small", "synthetic-embed-es"). */
  readonly modelId: string;
  /** Local models folder (transformers.js layout); relative paths resolve against the repo root. */
  readonly modelDir: string;
  readonly dtype: ThreadSettings['dtype'];
  readonly device: ThreadSettings['device'];
  /** Never contact the model hub. */
  readonly offline: boolean;
  /** Where downloaded models are cached (default: transformers.js' own cache). */
  readonly cacheDir?: string;
  /** Hub or mirror to download from (default: transformers.js' own, huggingface.co). */
  readonly hubUrl?: string;
  /** Prepended to every text (e5 models expect "query: "). */
  readonly prefix: string;
  /** ONNX Runtime intra-op threads; 0 = runtime default. */
  readonly threads: number;
  readonly batchMaxItems: number;
  readonly batchWaitMs: number;
  readonly onBatch?: (size: number, seconds: number) => void;
}

const WARMUP_TEXTS = ['hola, quiero una cita', 'me duele la muela desde ayer 😩'];

function progressLogger(logger: Logger): (info: ProgressInfo) => void {
  const lastDecile = new Map<string, number>();
  return (info) => {
    if (info.status === 'initiate') logger.info({ file: info.file }, 'model file: loading');
    if (info.status === 'download') logger.info({ file: info.file }, LogEvent.ModelDownloading);
    if (info.status === 'progress') {
      // Download progress arrives many times a second; log each 10% step once.
      const decile = Math.floor(info.progress / 10);
      if (decile > (lastDecile.get(info.file) ?? -1)) {
        lastDecile.set(info.file, decile);
        logger.info(
          { file: info.file, percent: Math.round(info.progress), loaded: info.loaded, total: info.total },
          'model file: progress',
        );
      }
    }
    if (info.status === 'done') logger.info({ file: info.file }, 'model file: loaded');
  };
}

// Built, the thread is plain .js. From source (tsx, jest) it is a .ts file:
// a small eval'd bootstrap registers tsx in the new thread first, because
// jest's own transform does not reach worker threads.
function startThread(settings: ThreadSettings): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./encoder-thread.js', import.meta.url), { workerData: settings });
  }
  const entry = new URL('./encoder-thread.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: settings, execArgv: [] });
}

/**
 * A sentence encoder held once per process: mean-pooled, L2-normalized
 * embeddings from a transformers.js feature-extraction pipeline running on a
 * dedicated thread. Concurrent `embed` calls are micro-batched into one call.
 */
export class SentenceEncoder {
  /** Inference calls made and texts embedded so far (warm-up included). */
  readonly stats: { calls: number; texts: number };
  private isReady = true;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();
  private readonly batcher: MicroBatcher<string, Float32Array>;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly thread: Worker,
    private readonly options: EncoderOptions,
    private readonly dim: number,
    warmupInferences: number,
  ) {
    this.stats = { calls: warmupInferences, texts: warmupInferences * WARMUP_TEXTS.length };
    this.batcher = new MicroBatcher({
      run: (texts) => this.embedBatch(texts),
      maxItems: options.batchMaxItems,
      maxWaitMs: options.batchWaitMs,
      onBatch: options.onBatch,
    });
    thread.on('message', (msg: ThreadResponse) => this.onMessage(msg));
    thread.on('error', (err) => this.failAll(err));
    thread.on('exit', () => this.failAll(new Error('encoder thread exited')));
  }

  /** Loads the model on its thread (downloading it unless offline), warms it up, then reports ready. */
  static async load(options: EncoderOptions, logger: Logger): Promise<SentenceEncoder> {
    const modelDir = `${resolveFromRoot(options.modelDir)}/`;
    logger.info(
      { model: options.modelId, modelDir, dtype: options.dtype, device: options.device, offline: options.offline },
      LogEvent.EncoderLoading,
    );
    const settings: ThreadSettings = {
      modelId: options.modelId,
      modelDir,
      ...(options.cacheDir ? { cacheDir: resolveFromRoot(options.cacheDir) } : {}),
      ...(options.hubUrl ? { hubUrl: `${options.hubUrl.replace(/\/+$/, '')}/` } : {}),
      offline: options.offline,
      dtype: options.dtype,
      device: options.device,
      prefix: options.prefix,
      threads: options.threads,
      warmupTexts: WARMUP_TEXTS,
    };
    const thread = startThread(settings);
    const onProgress = progressLogger(logger);
    const ready = await new Promise<Extract<ThreadResponse, { type: 'ready' }>>((resolve, reject) => {
      const onMessage = (msg: ThreadResponse): void => {
        if (msg.type === 'progress') onProgress(msg.info);
        if (msg.type === 'failed') reject(new Error(`encoder ${options.modelId} failed to load: ${msg.message}`));
        if (msg.type === 'ready') {
          thread.off('message', onMessage);
          resolve(msg);
        }
      };
      thread.on('message', onMessage);
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`encoder thread exited with code ${code} while loading`)));
    }).catch(async (err: unknown) => {
      await thread.terminate();
      throw err;
    });
    thread.removeAllListeners('error');
    thread.removeAllListeners('exit');
    logger.info(
      { model: options.modelId, dim: ready.dim, loadMs: Math.round(ready.loadMs), warmupMs: Math.round(ready.warmupMs) },
      'encoder: ready',
    );
    return new SentenceEncoder(thread, options, ready.dim, ready.inferences);
  }

  /** True once loaded and warmed up; false again after close(). */
  get ready(): boolean {
    return this.isReady;
  }

  /** What the artifact must have been trained with. */
  get spec(): EncoderSpec {
    return { id: this.options.modelId, dim: this.dim, prefix: this.options.prefix };
  }

  /** Embedding of one text, batched with whatever other calls arrive within the batch window. */
  embed(text: string): Promise<Float32Array> {
    return this.batcher.submit(text);
  }

  /** Embeddings of many texts, in chunks of the batch size (training, evaluation). */
  async embedMany(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.options.batchMaxItems) {
      out.push(...(await this.embedBatch(texts.slice(i, i + this.options.batchMaxItems))));
    }
    return out;
  }

  /** Finishes queued work, then frees the model and stops its thread. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.isReady = false;
      await this.batcher.close();
      const closed = new Promise<void>((resolve) => {
        this.thread.on('message', (msg: ThreadResponse) => msg.type === 'closed' && resolve());
        this.thread.once('exit', () => resolve());
      });
      this.post({ type: 'close' });
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
      await this.thread.terminate();
    })();
    return this.closing;
  }

  private embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    this.stats.calls += 1;
    this.stats.texts += texts.length;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'embed', id, texts: [...texts] });
    });
  }

  private post(request: ThreadRequest): void {
    this.thread.postMessage(request);
  }

  private onMessage(msg: ThreadResponse): void {
    if (msg.type !== 'result' && msg.type !== 'error') return;
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    if (msg.type === 'error') return waiter.reject(new Error(`encoder inference failed: ${msg.message}`));
    const rows: Float32Array[] = [];
    for (let r = 0; r < msg.data.length / msg.dim; r++) rows.push(msg.data.subarray(r * msg.dim, (r + 1) * msg.dim));
    waiter.resolve(rows);
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}
