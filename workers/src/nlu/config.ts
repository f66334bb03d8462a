import { bool, int, oneOf, optionalStr, str, url, type ConfigOf } from '@medcita/shared';
import type { EncoderOptions } from './encoder.js';
import type { NluOptions } from './nlu.js';

/** NLU variables; merge into the worker's env schema. */
export const nluConfigSchema = {
  NLU_ENCODER: bool({
    default: false,
    doc: 'Add sentence-encoder features (MODEL_*) to the lexical classifier; needs an artifact trained with that encoder',
  }),
  NLU_ARTIFACT: optionalStr({
    doc: 'Trained NLU artifact (JSON); default: the committed one beside the code (lexical.json, or encoder-<model>.json when NLU_ENCODER is on)',
  }),
  NLU_MIN_CONFIDENCE: int({
    default: 55,
    min: 0,
    max: 100,
    doc: 'Intent confidence (percent) under which the dialog asks instead of acting',
  }),
  NLU_MIN_SPECIALTY_CONFIDENCE: int({
    default: 50,
    min: 0,
    max: 100,
    doc: 'Specialty confidence (percent) under which the dialog confirms the specialty with the patient',
  }),
  NLU_BATCH_MAX: int({ default: 32, min: 1, max: 512, doc: 'Most messages per encoder inference call' }),
  NLU_BATCH_WAIT_MS: int({ default: 2, min: 0, max: 100, doc: 'Longest wait to fill an encoder batch' }),
  MODEL_ID: str({
    default: 'Xenova/multilingual-e5-small',
    doc: 'Encoder: hub id or folder name under MODEL_DIR (e.g. synthetic-embed-es)',
  }),
  MODEL_DIR: str({
    default: 'models',
    doc: 'Local models folder in transformers.js layout; relative to the repository root',
  }),
  MODEL_HUB_URL: url({
    default: 'https://huggingface.co',
    protocols: ['http:', 'https:'],
    doc: 'Where models are downloaded from: the Hugging Face hub or a mirror of it that serves <model>/resolve/<revision>/<file>',
  }),
  MODEL_CACHE_DIR: optionalStr({ doc: 'Cache for downloaded models (mount a volume here); default: transformers.js cache' }),
  MODEL_DTYPE: oneOf(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const, {
    default: 'q8',
    doc: 'Encoder weights variant (q8 = onnx/model_quantized.onnx)',
  }),
  MODEL_DEVICE: oneOf(['cpu', 'cuda', 'dml', 'webgpu'] as const, {
    default: 'cpu',
    doc: 'ONNX Runtime execution provider; cuda needs the GPU opt-in (docs/nlu.md)',
  }),
  MODEL_OFFLINE: bool({ default: false, doc: 'Never download from the model hub; load from MODEL_DIR / cache only' }),
  MODEL_QUERY_PREFIX: str({ default: '', doc: 'Text prepended before encoding ("query: " for e5 models)' }),
  MODEL_THREADS: int({ default: 0, min: 0, max: 64, doc: 'ONNX Runtime intra-op threads per worker; 0 = runtime default' }),
} as const;

export type NluConfig = ConfigOf<typeof nluConfigSchema>;

/** Maps parsed NLU config to `createNlu` options; `onBatch` is the metrics hook (size, seconds). */
export function nluOptionsFromConfig(config: NluConfig, onBatch?: EncoderOptions['onBatch']): NluOptions {
  return {
    artifactPath: config.NLU_ARTIFACT,
    minConfidence: config.NLU_MIN_CONFIDENCE / 100,
    minSpecialtyConfidence: config.NLU_MIN_SPECIALTY_CONFIDENCE / 100,
    encoder: config.NLU_ENCODER
      ? {
          modelId: config.MODEL_ID,
          modelDir: config.MODEL_DIR,
          cacheDir: config.MODEL_CACHE_DIR,
          hubUrl: config.MODEL_HUB_URL,
          dtype: config.MODEL_DTYPE,
          device: config.MODEL_DEVICE,
          offline: config.MODEL_OFFLINE,
          prefix: config.MODEL_QUERY_PREFIX,
          threads: config.MODEL_THREADS,
          batchMaxItems: config.NLU_BATCH_MAX,
          batchWaitMs: config.NLU_BATCH_WAIT_MS,
          ...(onBatch ? { onBatch } : {}),
        }
      : undefined,
  };
}
