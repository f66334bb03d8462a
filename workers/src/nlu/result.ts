import type { DateTimeMention } from './extractors/datetime.js';
import type { Intent, SpecialtyLabel } from './labels.js';

export interface IntentScore {
  readonly intent: Intent;
  readonly confidence: number;
}

export interface SpecialtyScore {
  readonly label: SpecialtyLabel;
  readonly confidence: number;
}

export interface SpecialtyResult extends SpecialtyScore {
  /** Next most likely specialties, best first. */
  readonly alternatives: SpecialtyScore[];
  /** Below the configured specialty confidence: confirm with the patient before showing slots. */
  readonly uncertain: boolean;
}

export interface NluEntities {
  /** Document number, digits only. */
  readonly document?: string;
  /** 1-based pick from the last list we sent ("la 3", "tercera", a list reply id "option:3"). */
  readonly option?: number;
  /** Id of the interactive button/list row the user tapped, as sent by WhatsApp. */
  readonly replyId?: string;
  /** The whole message is a yes/no shortcut ("dale", "👍", "nel"). */
  readonly yesNo?: 'yes' | 'no';
  readonly dateTimes: DateTimeMention[];
}

export interface NluResult {
  readonly intent: Intent;
  /** Calibrated probability of `intent` (1 for deterministic shortcuts). */
  readonly confidence: number;
  /** Next most likely intents, best first. */
  readonly alternatives: IntentScore[];
  /** Set when the message names or describes a specialty. */
  readonly specialty?: SpecialtyResult;
  readonly entities: NluEntities;
  /** Confidence below NLU_MIN_CONFIDENCE: the dialog must ask, not guess. */
  readonly uncertain: boolean;
  /** The message is nothing but a document number or an option pick: read the entity, not the intent. */
  readonly entityOnly: boolean;
  /** What decided the intent. */
  readonly source: 'classifier' | 'shortcut' | 'reply';
}
