import { ARTIFACT_FORMAT, ARTIFACT_VERSION, serializeModel, type EncoderSpec, type NluArtifactFile } from './artifact.js';
import type { LabelledExample, TrainingData } from './dataset.js';
import { DEFAULT_FEATURES, lexicalFeatures, type FeatureConfig } from './features.js';
import { INTENTS, SPECIALTIES } from './labels.js';
import { DEFAULT_TRAIN, trainCalibrated, type TrainingExample } from './fit-softmax.js';

export interface TrainArtifactOptions {
  readonly features?: FeatureConfig;
  /** When set, sentence embeddings of every example (the encoder adds its own prefix) join the lexical features. */
  readonly encoder?: { readonly spec: EncoderSpec; readonly embed: (texts: string[]) => Promise<Float32Array[]> };
}

// "Quiero una cita" alone teaches the specialty model that booking words mean
// "no specialty"; joined to a symptom they must not hide it. Each symptom
// example is also seen behind one of these openings (specialty model only).
const BOOKING_OPENINGS = [
  'quiero una cita, ',
  'necesito turno porque ',
  'hola buenas, quisiera agendar una consulta, ',
  'me pueden dar una cita? ',
  'quiero que me den una cita, ',
  'buenas tardes, necesito hora, ',
  'ocupo una cita, ',
  'hola, necesito que me atiendan, ',
];

async function bookingWithSymptoms(
  examples: readonly LabelledExample[],
  features: FeatureConfig,
  embed: ((texts: string[]) => Promise<Float32Array[]>) | undefined,
): Promise<TrainingExample[]> {
  const symptoms = examples.filter((e) => e.intent === 'describe_symptoms' && e.specialty !== undefined);
  const texts = symptoms.map((e, i) => `${BOOKING_OPENINGS[i % BOOKING_OPENINGS.length] as string}${e.text}`);
  const dense = embed ? await embed(texts) : undefined;
  return symptoms.map((e, i) => ({
    x: lexicalFeatures(texts[i] as string, features),
    dense: dense?.[i],
    label: SPECIALTIES.indexOf(e.specialty as (typeof SPECIALTIES)[number]),
  }));
}

/**
 * Fits the intent model and the specialty model (12 specialties + "none") on
 * the training data and returns the artifact. Deterministic: same data and
 * options give the same artifact.
 */
export async function trainArtifact(data: TrainingData, options: TrainArtifactOptions = {}): Promise<NluArtifactFile> {
  const features = options.features ?? DEFAULT_FEATURES;
  const encoder = options.encoder;
  const texts = data.examples.map((e) => e.text);
  const dense = encoder ? await encoder.embed(texts) : undefined;
  const denseDim = encoder?.spec.dim ?? 0;
  const withLabel = (label: (e: LabelledExample) => number): TrainingExample[] =>
    data.examples.map((e, i) => ({ x: lexicalFeatures(e.text, features), dense: dense?.[i], label: label(e) }));
  const intentExamples = withLabel((e) => INTENTS.indexOf(e.intent));
  const specialtyExamples = [
    ...withLabel((e) => (e.specialty === undefined ? SPECIALTIES.length : SPECIALTIES.indexOf(e.specialty))),
    ...(await bookingWithSymptoms(data.examples, features, encoder?.embed)),
  ];
  const common = { ...DEFAULT_TRAIN, hashBits: features.hashBits, denseDim };
  const intent = trainCalibrated(intentExamples, { ...common, classes: INTENTS.length });
  const specialty = trainCalibrated(specialtyExamples, { ...common, classes: SPECIALTIES.length + 1 });
  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    dataHash: data.hash,
    examples: { intent: intentExamples.length, specialty: data.examples.filter((e) => e.specialty).length },
    labels: { intents: [...INTENTS], specialties: [...SPECIALTIES] },
    features,
    encoder: encoder?.spec ?? null,
    intent: serializeModel(intent),
    specialty: serializeModel(specialty),
  };
}
