import type { Logger } from '@medcita/shared';
import { loadArtifact, verifyEncoder } from './artifact.js';
import { Classifier } from './classifier.js';
import type { EncoderOptions, SentenceEncoder } from './encoder.js';
import { extractDateTimes } from './extractors/datetime.js';
import { extractDocument } from './extractors/document.js';
import { extractOption, optionFromReplyId } from './extractors/option.js';
import { extractSpecialtyName } from './extractors/specialty-name.js';
import { extractYesNo } from './extractors/yes-no.js';
import { isIntent } from './labels.js';
import { normalize } from './normalize.js';
import { defaultArtifactPath } from './paths.js';
import type { NluEntities, NluResult } from './result.js';

export interface NluOptions {
  /** Artifact file; default: the committed one for the chosen encoder (or lexical-only). */
  readonly artifactPath?: string;
  /** 0–1: below this intent confidence `uncertain` is set and the dialog must ask. */
  readonly minConfidence: number;
  /** 0–1: below this specialty confidence the specialty is marked `uncertain`. */
  readonly minSpecialtyConfidence: number;
  /** Sentence encoder to add as a featurizer; undefined = lexical only. */
  readonly encoder?: EncoderOptions;
  /** Alternatives reported besides the winner (default 3). */
  readonly alternatives?: number;
}

export interface UnderstandContext {
  /** Id of the tapped interactive button or list row, when the message is one. */
  readonly replyId?: string;
}

export interface Nlu {
  /** True once the artifact is loaded and the encoder (if any) is warmed up; false after close(). */
  readonly ready: boolean;
  /** The encoder in use, if any (exposes inference stats for metrics and tests). */
  readonly encoder?: SentenceEncoder;
  understand(text: string, ctx?: UnderstandContext): Promise<NluResult>;
  /** Frees the encoder after queued work finishes. Safe to call twice. */
  close(): Promise<void>;
}

// Words that may surround a document number or a pick when that is all the message says.
const ENTITY_ONLY = new RegExp(
  '^(?:(?:_doc_|_num_|la|el|opcion|numero|nro|mi|documento|cedula|dni|cc|ci|ti|es|de|identidad|quiero|dame|' +
    'primera|primero|segunda|segundo|tercera|tercero|cuarta|cuarto|quinta|quinto|sexta|sexto|septima|septimo|' +
    'octava|octavo|novena|noveno|decima|decimo|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|por|favor)(?: |$))+$',
);

const MIN_KNOWN_WORDS = 0.5;
const MAX_ENCODER_CHARS = 1000;

function entitiesOf(text: string, normalized: string, ctx: UnderstandContext | undefined): NluEntities {
  const document = extractDocument(text);
  const option = (ctx?.replyId ? optionFromReplyId(ctx.replyId) : undefined) ?? extractOption(text);
  const yesNo = extractYesNo(text, normalized);
  return {
    ...(document !== undefined ? { document } : {}),
    ...(option !== undefined ? { option } : {}),
    ...(ctx?.replyId ? { replyId: ctx.replyId } : {}),
    ...(yesNo !== undefined ? { yesNo } : {}),
    dateTimes: extractDateTimes(text),
  };
}

/**
 * Loads the NLU artifact (refusing one whose labels or encoder do not match
 * this code), loads and warms the encoder when configured, and returns the
 * NLU once it is ready to serve.
 */
export async function createNlu(options: NluOptions, logger: Logger): Promise<Nlu> {
  const artifactPath = options.artifactPath ?? defaultArtifactPath(options.encoder?.modelId ?? null);
  const artifact = loadArtifact(artifactPath);
  // Check the id before paying for a model load; the dimension is checked after it.
  verifyEncoder(artifact.file, options.encoder ? { id: options.encoder.modelId } : null);
  // Imported on demand: a lexical-only worker never loads onnxruntime (~250 MB resident).
  const encoder = options.encoder ? await (await import('./encoder.js')).SentenceEncoder.load(options.encoder, logger) : undefined;
  if (encoder) {
    try {
      verifyEncoder(artifact.file, { id: encoder.spec.id, dim: encoder.spec.dim });
    } catch (err) {
      await encoder.close();
      throw err;
    }
  }
  const classifier = new Classifier(artifact, {
    minConfidence: options.minConfidence,
    minSpecialtyConfidence: options.minSpecialtyConfidence,
    alternatives: options.alternatives ?? 3,
  });
  let open = true;
  logger.info(
    { artifact: artifactPath, dataHash: artifact.file.dataHash.slice(0, 12), encoder: artifact.file.encoder?.id ?? null },
    'nlu: ready',
  );

  async function understand(text: string, ctx?: UnderstandContext): Promise<NluResult> {
    const norm = normalize(text);
    const entities = entitiesOf(text, norm, ctx);
    // WhatsApp allows 4,096 characters; the encoder truncates to its window anyway.
    const embedding = encoder ? await encoder.embed(text.slice(0, MAX_ENCODER_CHARS)) : undefined;
    const scored = classifier.classify(text, embedding, norm);
    // A specialty named outright beats the classifier's reading of symptoms.
    const named = extractSpecialtyName(norm);
    const specialty = named ? { label: named, confidence: 1, alternatives: [], uncertain: false } : scored.specialty;
    const entityOnly = (entities.document !== undefined || entities.option !== undefined) && ENTITY_ONLY.test(norm);
    let intent = scored.intent;
    let confidence = scored.confidence;
    let source: NluResult['source'] = 'classifier';
    if (ctx?.replyId && isIntent(ctx.replyId)) {
      [intent, confidence, source] = [ctx.replyId, 1, 'reply'];
    } else if (entities.yesNo) {
      [intent, confidence, source] = [entities.yesNo === 'yes' ? 'affirm' : 'deny', 1, 'shortcut'];
    }
    // A confident score on a message made mostly of words never seen in
    // training comes from the few known ones ("xq zzkw plo" → "porque"): ask.
    const uncertain = source === 'classifier' && (confidence < options.minConfidence || scored.knownWords < MIN_KNOWN_WORDS);
    return {
      intent,
      confidence,
      alternatives: scored.alternatives,
      ...(specialty ? { specialty } : {}),
      entities,
      uncertain,
      entityOnly,
      source,
    };
  }

  return {
    get ready() {
      return open && (encoder?.ready ?? true);
    },
    encoder,
    understand,
    async close() {
      open = false;
      await encoder?.close();
    },
  };
}
