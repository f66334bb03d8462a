import { LogEvent } from '@medcita/shared';
import { createNlu, type Nlu } from '../../src/nlu/nlu.js';
import { NluArtifactError } from '../../src/nlu/artifact-error.js';
import { SentenceEncoder } from '../../src/nlu/encoder.js';
import type { NluResult } from '../../src/nlu/result.js';
import { defaultArtifactPath } from '../../src/nlu/paths.js';
import { capturingLogger, syntheticEncoder } from './helpers.js';

// The synthetic encoder has random weights: these tests prove loading, warm-up,
// batching and the artifact contract through the real transformers.js path,
// not that its embeddings mean anything.
const MESSAGES = [
  'hola buenas',
  'quiero una cita con el cardiologo',
  'me duele la muela desde ayer 😩',
  'mi bebe tiene fiebre',
  'quiero cancelar mi turno',
  'cambiar la cita para el viernes',
  'cuando es mi cita?',
  'pasame con un asesor',
  'hay otros horarios?',
  'cuanto cuesta la consulta',
  'gracias!!',
  'chao',
  'veo borroso',
  'tengo tos hace semanas',
  'me siento muy ansioso',
  'quien gano el partido',
];

describe('SentenceEncoder with the synthetic model', () => {
  it('logs load progress and reports ready only after the warm-up inference', async () => {
    const { logger, lines } = capturingLogger();
    const encoder = await SentenceEncoder.load(syntheticEncoder(), logger);
    const messages = lines.map((l) => l.msg);
    expect(messages[0]).toBe(LogEvent.EncoderLoading);
    expect(messages).toContain('model file: loaded');
    expect(messages.at(-1)).toBe('encoder: ready');
    expect(lines.at(-1)).toMatchObject({ model: 'synthetic-embed-es', dim: 128 });
    expect(encoder.ready).toBe(true);
    expect(encoder.stats.calls).toBe(1);
    expect(encoder.spec).toEqual({ id: 'synthetic-embed-es', dim: 128, prefix: '' });
    const vector = await encoder.embed('hola');
    expect(vector).toHaveLength(128);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
    await encoder.close();
    expect(encoder.ready).toBe(false);
  });
});

describe('createNlu with the synthetic encoder', () => {
  let nlu: Nlu;
  const batchSizes: number[] = [];

  beforeAll(async () => {
    nlu = await createNlu(
      {
        minConfidence: 0.55,
        minSpecialtyConfidence: 0.5,
        encoder: syntheticEncoder({ onBatch: (size) => batchSizes.push(size) }),
      },
      capturingLogger().logger,
    );
  });
  afterAll(() => nlu.close());

  it('is ready after creation and classifies through the encoder', async () => {
    expect(nlu.ready).toBe(true);
    const before = nlu.encoder?.stats.texts ?? 0;
    const r = await nlu.understand('quiero una cita con el cardiologo');
    expect(r.intent).toBe('book_appointment');
    expect(r.specialty?.label).toBe('cardiologia');
    expect(nlu.encoder?.stats.texts).toBe(before + 1);
  });

  it('micro-batches concurrent requests into fewer inference calls with the same results as one by one', async () => {
    const encoder = nlu.encoder as SentenceEncoder;
    const oneByOne: NluResult[] = [];
    for (const text of MESSAGES) oneByOne.push(await nlu.understand(text));
    const callsBefore = encoder.stats.calls;
    batchSizes.length = 0;
    const concurrent = await Promise.all(MESSAGES.map((text) => nlu.understand(text)));
    const calls = encoder.stats.calls - callsBefore;
    expect(calls).toBeLessThanOrEqual(2);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(MESSAGES.length);
    expect(concurrent.map((r) => r.intent)).toEqual(oneByOne.map((r) => r.intent));
    expect(concurrent.map((r) => r.specialty?.label)).toEqual(oneByOne.map((r) => r.specialty?.label));
    // Padding changes int8 activation ranges a little inside a batch.
    concurrent.forEach((r, i) => expect(Math.abs(r.confidence - (oneByOne[i]?.confidence ?? 0))).toBeLessThan(0.02));
  });

  it('refuses a lexical-only artifact when the encoder is on, before loading the model', async () => {
    const { logger, lines } = capturingLogger();
    await expect(
      createNlu(
        { artifactPath: defaultArtifactPath(null), minConfidence: 0.5, minSpecialtyConfidence: 0.5, encoder: syntheticEncoder() },
        logger,
      ),
    ).rejects.toThrow(NluArtifactError);
    expect(lines.map((l) => l.msg)).not.toContain(LogEvent.EncoderLoading);
  });

  it('refuses an artifact trained with another encoder', async () => {
    await expect(
      createNlu(
        {
          artifactPath: defaultArtifactPath('synthetic-embed-es'),
          minConfidence: 0.5,
          minSpecialtyConfidence: 0.5,
          encoder: syntheticEncoder({ modelId: 'synthetic-nli-es' }),
        },
        capturingLogger().logger,
      ),
    ).rejects.toThrow(/trained with encoder synthetic-embed-es/);
  });
});
