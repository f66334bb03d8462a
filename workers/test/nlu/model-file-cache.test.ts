import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelFileCache } from '../../src/nlu/model-file-cache.js';

const HUB = 'https://hub.example/';

describe('ModelFileCache', () => {
  let root: string;
  let cacheDir: string;
  let localDir: string;
  let cache: ModelFileCache;

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'model-cache-test-'));
    cacheDir = path.join(root, 'cache');
    localDir = path.join(root, 'models');
    cache = new ModelFileCache(cacheDir, HUB, localDir);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function place(dir: string, rel: string, content: string): string {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  }

  it('answers an .onnx hit with its path, so ONNX Runtime reads the weights and JavaScript never does', async () => {
    const file = place(cacheDir, 'Xenova/e5/onnx/model_quantized.onnx', 'weights');
    await expect(cache.match(`${HUB}Xenova/e5/resolve/main/onnx/model_quantized.onnx`)).resolves.toBe(file);
    const local = place(localDir, 'mine/onnx/model.onnx', 'weights');
    await expect(cache.match(local)).resolves.toBe(local);
  });

  it('answers other files with their bytes and a content-length', async () => {
    place(cacheDir, 'Xenova/e5/config.json', '{"hidden_size":384}');
    const hit = await cache.match(`${HUB}Xenova/e5/resolve/main/config.json`);
    expect(hit).toBeInstanceOf(Response);
    const response = hit as Response;
    expect(response.headers.get('content-length')).toBe('19');
    await expect(response.json()).resolves.toEqual({ hidden_size: 384 });
  });

  it('finds a local model asked for by hub URL, as transformers.js asks again after a local hit', async () => {
    const local = place(localDir, 'mine/onnx/model.onnx', 'weights');
    await expect(cache.match(`${HUB}mine/resolve/main/onnx/model.onnx`)).resolves.toBe(local);
  });

  it('keeps transformers.js FileCache layout, revisions included, so an existing cache volume is reused', () => {
    expect(cache.fileFor(`${HUB}Xenova/e5/resolve/main/onnx/model.onnx`)).toBe(path.join(cacheDir, 'Xenova/e5/onnx/model.onnx'));
    expect(cache.fileFor(`${HUB}Xenova/e5/resolve/v1.2/tokenizer.json`)).toBe(path.join(cacheDir, 'Xenova/e5/v1.2/tokenizer.json'));
    expect(cache.fileFor('Xenova/e5/config.json')).toBe(path.join(cacheDir, 'Xenova/e5/config.json'));
  });

  it('misses when the file is nowhere', async () => {
    await expect(cache.match(`${HUB}Xenova/e5/resolve/main/onnx/model.onnx`)).resolves.toBeUndefined();
    await expect(cache.match(path.join(localDir, 'nope.onnx'))).resolves.toBeUndefined();
  });

  it('stores a download whole, reporting progress, and leaves no partial file when the download breaks', async () => {
    const key = `${HUB}Xenova/e5/resolve/main/onnx/model.onnx`;
    const progress: number[] = [];
    const body = new Uint8Array(200_000).fill(7);
    await cache.put(key, new Response(body, { headers: { 'content-length': String(body.byteLength) } }), (p) => progress.push(p.progress));
    expect(readFileSync(cache.fileFor(key))).toEqual(Buffer.from(body));
    expect(progress.at(-1)).toBe(100);

    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(new Error('connection reset'));
      },
    });
    const other = `${HUB}Xenova/e5/resolve/main/onnx/other.onnx`;
    await expect(cache.put(other, new Response(broken))).rejects.toThrow('connection reset');
    expect(readdirSync(path.dirname(cache.fileFor(other))).sort()).toEqual(['model.onnx']);
  });
});
