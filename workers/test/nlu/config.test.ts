import { parseEnv, ConfigError } from '@medcita/shared';
import { nluConfigSchema, nluOptionsFromConfig } from '../../src/nlu/config.js';

describe('nluConfigSchema', () => {
  it('defaults to lexical-only with sensible thresholds', () => {
    const options = nluOptionsFromConfig(parseEnv(nluConfigSchema, {}));
    expect(options).toEqual({ artifactPath: undefined, minConfidence: 0.55, minSpecialtyConfidence: 0.5, encoder: undefined });
  });

  it('maps the encoder variables and the metrics hook when the encoder is on', () => {
    const onBatch = (): void => undefined;
    const config = parseEnv(nluConfigSchema, {
      NLU_ENCODER: '1',
      MODEL_ID: 'synthetic-embed-es',
      MODEL_OFFLINE: 'true',
      MODEL_QUERY_PREFIX: 'query: ',
      NLU_BATCH_MAX: '16',
      NLU_MIN_CONFIDENCE: '70',
      MODEL_HUB_URL: 'https://models.mirror.internal/hf/',
    });
    expect(nluOptionsFromConfig(config, onBatch)).toMatchObject({
      minConfidence: 0.7,
      encoder: {
        modelId: 'synthetic-embed-es',
        modelDir: 'models',
        dtype: 'q8',
        device: 'cpu',
        offline: true,
        prefix: 'query: ',
        batchMaxItems: 16,
        batchWaitMs: 2,
        hubUrl: 'https://models.mirror.internal/hf',
        onBatch,
      },
    });
  });

  it('refuses a hub URL that is not http(s), naming the variable', () => {
    expect(() => parseEnv(nluConfigSchema, { MODEL_HUB_URL: 'file:///models' })).toThrow(/MODEL_HUB_URL/);
  });

  it('names every bad variable at once', () => {
    expect(() => parseEnv(nluConfigSchema, { MODEL_DEVICE: 'tpu', NLU_MIN_CONFIDENCE: '150' })).toThrow(ConfigError);
    expect(() => parseEnv(nluConfigSchema, { MODEL_DEVICE: 'tpu', NLU_MIN_CONFIDENCE: '150' })).toThrow(
      /MODEL_DEVICE[\s\S]*NLU_MIN_CONFIDENCE|NLU_MIN_CONFIDENCE[\s\S]*MODEL_DEVICE/,
    );
  });
});
