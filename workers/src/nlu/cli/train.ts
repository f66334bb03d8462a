// npm run train:nlu [-- --encoder <model id> [--model-dir dir] [--dtype q8] [--prefix "query: "] [--out file]]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { artifactJson } from '../artifact.js';
import { readTrainingData } from '../dataset.js';
import { defaultArtifactPath } from '../paths.js';
import { trainArtifact } from '../build-artifact.js';
import { encoderFromArgs, ENCODER_ARGS } from './encoder-args.js';

const { values } = parseArgs({ options: { ...ENCODER_ARGS, out: { type: 'string' } } });
const started = performance.now();
const data = readTrainingData();
const encoder = await encoderFromArgs(values);
try {
  const artifact = await trainArtifact(data, encoder ? { encoder: { spec: encoder.spec, embed: (t) => encoder.embedMany(t) } } : {});
  const out = values.out ?? defaultArtifactPath(encoder?.spec.id ?? null);
  const json = artifactJson(artifact);
  writeFileSync(out, json);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `trained on ${data.examples.length} examples (data ${data.hash.slice(0, 12)}), encoder ${encoder?.spec.id ?? 'none'}: ` +
      `${out} (${(json.length / 1024).toFixed(0)} KiB) in ${seconds}s; intent T=${artifact.intent.temperature}, specialty T=${artifact.specialty.temperature}`,
  );
} finally {
  await encoder?.close();
}
