import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@medcita/shared';
import { REPO_ROOT } from '../../src/nlu/paths.js';
import type { EncoderOptions } from '../../src/nlu/encoder.js';

/** The random-weight test encoder the repository carries (models/README.md). */
export const MODELS_DIR = path.resolve(REPO_ROOT, 'models');

/** A logger whose JSON lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', service: 'nlu-test', destination }), lines };
}

export function syntheticEncoder(overrides: Partial<EncoderOptions> = {}): EncoderOptions {
  return {
    modelId: 'synthetic-embed-es',
    modelDir: MODELS_DIR,
    dtype: 'q8',
    device: 'cpu',
    offline: true,
    prefix: '',
    threads: 1,
    batchMaxItems: 32,
    batchWaitMs: 5,
    ...overrides,
  };
}
