import { LogEvent } from '@medcita/shared';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SentenceEncoder } from '../../src/nlu/encoder.js';
import { capturingLogger, MODELS_DIR, syntheticEncoder } from './helpers.js';

// A production worker's first start downloads its model from the hub (or a
// mirror, MODEL_HUB_URL) into MODEL_CACHE_DIR; later starts load it from
// there. This runs that path end to end through the real encoder thread,
// with a local mirror serving the synthetic model as "acme/embed-es".
const SOURCE = path.join(MODELS_DIR, 'synthetic-embed-es');

function startMirror(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/acme\/embed-es\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const file = m ? path.join(SOURCE, decodeURIComponent(m[1] as string)) : '';
    if (!m || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    if (req.headers.range === 'bytes=0-0') {
      res.writeHead(206, { 'content-range': `bytes 0-0/${body.length}`, 'content-length': '1' }).end(body.subarray(0, 1));
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('SentenceEncoder downloading its model', () => {
  let cacheDir: string;
  let emptyModels: string;

  beforeAll(() => {
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'model-cache-'));
    emptyModels = mkdtempSync(path.join(os.tmpdir(), 'no-models-'));
  });
  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(emptyModels, { recursive: true, force: true });
  });

  it('downloads from the mirror once, then loads offline from the cache with the same embeddings', async () => {
    const local = await SentenceEncoder.load(syntheticEncoder(), capturingLogger().logger);
    const expected = await local.embed('me duele la muela');
    await local.close();

    const mirror = await startMirror();
    const options = syntheticEncoder({ modelId: 'acme/embed-es', modelDir: emptyModels, cacheDir, hubUrl: mirror.url, offline: false });
    const { logger, lines } = capturingLogger();
    const downloaded = await SentenceEncoder.load(options, logger);
    await mirror.close();
    expect(await downloaded.embed('me duele la muela')).toEqual(expected);
    await downloaded.close();

    expect(mirror.requests).toContain('/acme/embed-es/resolve/main/onnx/model_quantized.onnx');
    expect(lines.filter((l) => l.msg === LogEvent.ModelDownloading).map((l) => l.file)).toContain('onnx/model_quantized.onnx');
    // The layout transformers.js' own file cache uses: an existing volume keeps working.
    const cached = path.join(cacheDir, 'acme/embed-es/onnx/model_quantized.onnx');
    expect(statSync(cached).size).toBe(statSync(path.join(SOURCE, 'onnx/model_quantized.onnx')).size);

    const again = await SentenceEncoder.load({ ...options, offline: true }, capturingLogger().logger);
    expect(await again.embed('me duele la muela')).toEqual(expected);
    await again.close();
  });

  it('fails to start with a message naming the model when offline and nothing is cached', async () => {
    const options = syntheticEncoder({ modelId: 'acme/missing', modelDir: emptyModels, cacheDir, offline: true });
    await expect(SentenceEncoder.load(options, capturingLogger().logger)).rejects.toThrow(/acme\/missing/);
  });
});
