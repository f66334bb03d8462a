import { phoneticWords } from './features.js';
import { normalize } from './normalize.js';
import { INTENTS, SPECIALTIES, type Intent } from './labels.js';
import type { LoadedArtifact } from './artifact.js';
import { FusedScorer } from './fused-scorer.js';
import type { IntentScore, SpecialtyResult, SpecialtyScore } from './result.js';

export interface ClassifierThresholds {
  readonly minConfidence: number;
  readonly minSpecialtyConfidence: number;
  /** How many alternatives to report besides the winner. */
  readonly alternatives: number;
}

export interface Classification {
  /** Share of the message's words seen in training (0–1); low means the model is reading noise. */
  readonly knownWords: number;
  readonly intent: Intent;
  readonly confidence: number;
  readonly alternatives: IntentScore[];
  readonly specialty?: SpecialtyResult;
}

const NO_SPECIALTY = SPECIALTIES.length;

// Insertion sort of class indices by probability: a dozen classes, called
// twice per message; Array.from + sort with a closure cost more than scoring.
function ranked(probs: Float64Array, count: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    let j = order.length;
    while (j > 0 && (probs[order[j - 1] as number] as number) < (probs[i] as number)) j--;
    order.splice(j, 0, i);
  }
  return order;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function specialtyOf(probs: Float64Array, intent: Intent, t: ClassifierThresholds): SpecialtyResult | undefined {
  const order = ranked(probs, SPECIALTIES.length);
  const best = order[0] as number;
  // A symptom description always belongs to some specialty, so "none" cannot
  // win there; elsewhere (bookings, questions) a specialty must beat "none".
  if (intent !== 'describe_symptoms' && (probs[NO_SPECIALTY] as number) >= (probs[best] as number)) return undefined;
  const mass = intent === 'describe_symptoms' ? 1 - (probs[NO_SPECIALTY] as number) : 1;
  const score = (i: number): SpecialtyScore => ({
    label: SPECIALTIES[i] as (typeof SPECIALTIES)[number],
    confidence: round4((probs[i] as number) / mass),
  });
  const top = score(best);
  return {
    ...top,
    alternatives: order.slice(1, 1 + t.alternatives).map(score),
    uncertain: top.confidence < t.minSpecialtyConfidence,
  };
}

/** The trained intent and specialty models of an artifact, ready to score messages. */
export class Classifier {
  private readonly scorer: FusedScorer;

  constructor(
    private readonly artifact: LoadedArtifact,
    private readonly thresholds: ClassifierThresholds,
  ) {
    this.scorer = new FusedScorer(artifact.intent, artifact.specialty);
  }

  /**
   * Scores one message; `embedding` is required when the artifact was trained
   * with an encoder. Pass `normalized` when the caller already has `normalize(text)`.
   */
  classify(text: string, embedding?: Float32Array, normalized = normalize(text)): Classification {
    const words = phoneticWords(normalized);
    const [intentProbs, specialtyProbs, knownWords] = this.scorer.scoreWords(words, this.artifact.file.features, embedding);
    const order = ranked(intentProbs, INTENTS.length);
    const best = order[0] as number;
    const intent = INTENTS[best] as Intent;
    const specialty = specialtyOf(specialtyProbs, intent, this.thresholds);
    return {
      knownWords,
      intent,
      confidence: round4(intentProbs[best] as number),
      alternatives: order
        .slice(1, 1 + this.thresholds.alternatives)
        .map((i) => ({ intent: INTENTS[i] as Intent, confidence: round4(intentProbs[i] as number) })),
      ...(specialty ? { specialty } : {}),
    };
  }
}
