// npm run nlu -- "texto" [more texts…] [--encoder <model id> ...] [--artifact file] [--reply-id id]
import { parseArgs } from 'node:util';
import { createLogger } from '@medcita/shared';
import { createNlu } from '../nlu.js';
import { encoderOptionsFromArgs, ENCODER_ARGS } from './encoder-args.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ...ENCODER_ARGS,
    artifact: { type: 'string' },
    'reply-id': { type: 'string' },
    'min-confidence': { type: 'string', default: '0.55' },
  },
});
if (positionals.length === 0) {
  console.error('usage: npm run nlu -- "texto" [--encoder synthetic-embed-es] [--artifact file] [--reply-id id]');
  process.exit(2);
}
const logger = createLogger({ level: 'warn', service: 'nlu-cli', destination: process.stderr });
const nlu = await createNlu(
  {
    artifactPath: values.artifact,
    minConfidence: Number(values['min-confidence']),
    minSpecialtyConfidence: 0.5,
    encoder: encoderOptionsFromArgs(values),
  },
  logger,
);
const ctx = values['reply-id'] ? { replyId: values['reply-id'] } : undefined;
for (const text of positionals) console.log(JSON.stringify({ text, ...(await nlu.understand(text, ctx)) }));
await nlu.close();
