import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@medcita/shared';
import { artifactJson } from '../../workers/src/nlu/artifact.js';
import { readTrainingData } from '../../workers/src/nlu/dataset.js';
import { SentenceEncoder } from '../../workers/src/nlu/encoder.js';
import { trainArtifact } from '../../workers/src/nlu/build-artifact.js';

/** An artifact trained with the big encoder, cached in the temp dir by data hash (never committed). */
export async function bigArtifact(modelDir: string, modelId: string): Promise<string> {
  const data = readTrainingData();
  const dir = path.join(os.tmpdir(), 'medcita-nlu-bench');
  const file = path.join(dir, `${modelId}-${data.hash.slice(0, 12)}.json`);
  if (existsSync(file)) return file;
  console.error(`training a bench artifact with ${modelDir}/${modelId} (once; cached in ${file}) …`);
  const encoder = await SentenceEncoder.load(
    { modelId, modelDir, dtype: 'q8', device: 'cpu', offline: true, prefix: '', threads: 0, batchMaxItems: 32, batchWaitMs: 2 },
    createLogger({ level: 'warn', service: 'nlu-bench', destination: process.stderr }),
  );
  const artifact = await trainArtifact(data, { encoder: { spec: encoder.spec, embed: (t) => encoder.embedMany(t) } });
  await encoder.close();
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, artifactJson(artifact));
  return file;
}
