import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { env as TransformersEnv } from '@huggingface/transformers';

type Progress = (data: { progress: number; loaded: number; total: number }) => void;

/**
 * The model-file cache the encoder thread gives transformers.js.
 *
 * Why not transformers.js' own file cache: on a hit (and for a local model)
 * it answers with a `FileResponse`, whose constructor starts streaming the
 * whole file into memory even when only the path is wanted. In Node, ONNX
 * Runtime opens the `.onnx` itself, so every load also read the weights into
 * a garbage copy that lived until the next full GC: with an e5-small-sized
 * model the worker peaked at ~540 MB RSS for a ~300 MB steady state.
 *
 * This cache answers a `.onnx` hit with its path (a custom cache may return a
 * path; transformers.js then hands it to ONNX Runtime unread) and any other
 * file with its bytes. It keeps the directory layout of transformers.js'
 * `FileCache` (`<model>/<file>`, `<model>/<revision>/<file>` off main), so a
 * cache volume filled by earlier releases is still used.
 */
export class ModelFileCache {
  /**
   * @param dir where downloads are stored
   * @param remoteHost the hub's URL prefix (`env.remoteHost`)
   * @param localDir the local models folder (`env.localModelPath`): after a
   *   hit on a local path, transformers.js asks again by hub URL, and that
   *   must find the same file
   */
  constructor(
    private readonly dir: string,
    private readonly remoteHost: string,
    private readonly localDir?: string,
  ) {}

  /** Where a download for this key (relative key or hub URL) is stored. */
  fileFor(key: string): string {
    return path.join(this.dir, this.relative(key));
  }

  private relative(key: string): string {
    if (!key.startsWith(this.remoteHost)) return key;
    const rest = key.slice(this.remoteHost.length).replace(/^\/+/, '');
    const m = /^(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(rest);
    if (!m) return rest;
    const [, model, revision, file] = m as unknown as [string, string, string, string];
    const rev = decodeURIComponent(revision);
    return rev === 'main' ? path.join(model, file) : path.join(model, rev, file);
  }

  private existing(key: string): string | undefined {
    if (path.isAbsolute(key)) return existsSync(key) ? key : undefined;
    const rel = this.relative(key);
    const candidates = [...(this.localDir ? [path.join(this.localDir, rel)] : []), path.join(this.dir, rel)];
    return candidates.find((f) => existsSync(f));
  }

  async match(key: string): Promise<string | Response | undefined> {
    const file = this.existing(key);
    if (file === undefined) return undefined;
    // Only core model files: transformers.js asks for those by path in Node.
    // A path for anything else would reach callers that expect bytes.
    if (file.endsWith('.onnx')) return file;
    const bytes = await readFile(file);
    return new Response(bytes, { headers: { 'content-length': String(bytes.byteLength) } });
  }

  /** Stores a download: streamed to a temp file, then renamed, so no reader ever sees half a model. */
  async put(key: string, response: Response, onProgress?: Progress): Promise<void> {
    const file = this.fileFor(key);
    const tmp = `${file}.tmp.${process.pid}.${Math.random().toString(36).slice(2)}`;
    const total = Number(response.headers.get('content-length') ?? 0);
    await mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(tmp);
    try {
      if (!response.body) throw new Error(`empty body for ${key}`);
      let loaded = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        loaded += chunk.byteLength;
        onProgress?.({ progress: total ? (loaded / total) * 100 : 0, loaded, total });
      }
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      await rename(tmp, file);
    } catch (err) {
      // The file may still be opening: wait for the stream to close, or the unlink could come first.
      if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()).destroy());
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }
}

/** Points transformers.js at a `ModelFileCache` in `cacheDir` (default: its own cache dir); call after setting the local model path. */
export function useModelFileCache(env: typeof TransformersEnv, cacheDir?: string): ModelFileCache {
  const dir = cacheDir ?? env.cacheDir ?? path.resolve('.cache');
  const cache = new ModelFileCache(dir, env.remoteHost, env.allowLocalModels ? env.localModelPath : undefined);
  env.cacheDir = dir;
  env.useCustomCache = true;
  env.customCache = cache;
  return cache;
}
