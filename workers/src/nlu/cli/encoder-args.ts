import { createLogger } from '@medcita/shared';
import { SentenceEncoder, type EncoderOptions } from '../encoder.js';

/** Command-line flags that choose an encoder, shared by the NLU tools. */
export const ENCODER_ARGS = {
  encoder: { type: 'string' },
  'model-dir': { type: 'string', default: 'models' },
  dtype: { type: 'string', default: 'q8' },
  prefix: { type: 'string', default: '' },
  offline: { type: 'boolean', default: false },
} as const;

export interface EncoderArgs {
  readonly encoder?: string;
  readonly 'model-dir'?: string;
  readonly dtype?: string;
  readonly prefix?: string;
  readonly offline?: boolean;
}

/** Encoder options from the flags, or undefined when --encoder is absent. */
export function encoderOptionsFromArgs(args: EncoderArgs): EncoderOptions | undefined {
  if (!args.encoder) return undefined;
  return {
    modelId: args.encoder,
    modelDir: args['model-dir'] ?? 'models',
    dtype: (args.dtype ?? 'q8') as EncoderOptions['dtype'],
    device: 'cpu',
    offline: args.offline ?? false,
    prefix: args.prefix ?? '',
    threads: 0,
    batchMaxItems: 32,
    batchWaitMs: 2,
  };
}

/** Loads the encoder named by --encoder, logging to stderr; undefined when the flag is absent. */
export async function encoderFromArgs(args: EncoderArgs): Promise<SentenceEncoder | undefined> {
  const options = encoderOptionsFromArgs(args);
  if (!options) return undefined;
  return SentenceEncoder.load(options, createLogger({ level: 'warn', service: 'nlu-cli', destination: process.stderr }));
}
