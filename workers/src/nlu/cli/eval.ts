// npm run nlu:eval -- <file.jsonl> [--encoder <model id> ...] [--artifact file] [--json]
import { parseArgs } from 'node:util';
import { createLogger } from '@medcita/shared';
import { readExamplesFile } from '../dataset.js';
import { evaluate, formatReport } from '../evaluation.js';
import { createNlu } from '../nlu.js';
import { encoderOptionsFromArgs, ENCODER_ARGS } from './encoder-args.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { ...ENCODER_ARGS, artifact: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const file = positionals[0];
if (file === undefined) {
  console.error('usage: npm run nlu:eval -- <file.jsonl> [--encoder <model id>] [--artifact file] [--json]');
  process.exit(2);
}
const examples = readExamplesFile(file);
const logger = createLogger({ level: 'warn', service: 'nlu-eval', destination: process.stderr });
const nlu = await createNlu(
  { artifactPath: values.artifact, minConfidence: 0.55, minSpecialtyConfidence: 0.5, encoder: encoderOptionsFromArgs(values) },
  logger,
);
const report = await evaluate(examples, (t) => nlu.understand(t));
await nlu.close();
console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
