export { INTENTS, SPECIALTIES, isIntent, isSpecialtyLabel, type Intent, type SpecialtyLabel } from './labels.js';
export { createNlu, type Nlu, type NluOptions, type UnderstandContext } from './nlu.js';
export { nluConfigSchema, nluOptionsFromConfig, type NluConfig } from './config.js';
export { NluArtifactError } from './artifact-error.js';
export type { NluResult, NluEntities, IntentScore, SpecialtyResult, SpecialtyScore } from './result.js';
export type { DateTimeMention } from './extractors/datetime.js';
export type { EncoderOptions } from './encoder.js';
