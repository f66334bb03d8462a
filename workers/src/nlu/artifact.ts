import { readFileSync } from 'node:fs';
import { NluArtifactError } from './artifact-error.js';
import type { FeatureConfig } from './features.js';
import { INTENTS, SPECIALTIES } from './labels.js';
import type { LinearModel } from './linear-model.js';

export const ARTIFACT_FORMAT = 'medcita-nlu';
export const ARTIFACT_VERSION = 1;

/** Which sentence encoder produced the dense features a model was trained on. */
export interface EncoderSpec {
  readonly id: string;
  readonly dim: number;
  /** Text prepended before encoding (e5 models expect "query: "). */
  readonly prefix: string;
}

interface SerializedModel {
  readonly classes: number;
  readonly temperature: number;
  readonly bias: number[];
  /** Hashed feature rows that carry weights, delta + varint encoded, base64. */
  readonly rows: string;
  /** int8 weights of those rows (rows × classes), base64; value = q × scale. */
  readonly weights: string;
  readonly scale: number;
  readonly denseDim: number;
  readonly dense: string;
  readonly denseScale: number;
}

export interface NluArtifactFile {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly version: number;
  /** sha256 of the training data files the models were fitted on. */
  readonly dataHash: string;
  readonly examples: { readonly intent: number; readonly specialty: number };
  readonly labels: { readonly intents: string[]; readonly specialties: string[] };
  readonly features: FeatureConfig;
  readonly encoder: EncoderSpec | null;
  readonly intent: SerializedModel;
  /** One class per specialty plus a last "no specialty mentioned" class. */
  readonly specialty: SerializedModel;
}

export interface LoadedArtifact {
  readonly file: NluArtifactFile;
  readonly intent: LinearModel;
  readonly specialty: LinearModel;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function quantize(values: ArrayLike<number>): { bytes: Int8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  const scale = max === 0 ? 1 : round6(max / 127) || 1e-6;
  const bytes = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    bytes[i] = Math.max(-127, Math.min(127, Math.round((values[i] as number) / scale)));
  }
  return { bytes, scale };
}

function encodeRows(rows: number[]): string {
  const out: number[] = [];
  let prev = 0;
  for (const r of rows) {
    let delta = r - prev;
    prev = r;
    while (delta >= 0x80) {
      out.push((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    out.push(delta);
  }
  return Buffer.from(out).toString('base64');
}

function decodeRows(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const rows: number[] = [];
  let prev = 0;
  for (let i = 0; i < bytes.length;) {
    let delta = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[i++] as number;
      delta |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    prev += delta;
    rows.push(prev);
  }
  return rows;
}

function int8ToBase64(bytes: Int8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function base64ToInt8(text: string): Int8Array {
  const buf = Buffer.from(text, 'base64');
  return new Int8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Sparse, int8-quantized form of a trained model: only hashed rows that training touched are kept. */
export function serializeModel(model: LinearModel): SerializedModel {
  const c = model.classes;
  const rows: number[] = [];
  const kept: number[] = [];
  // Rows in hashed-index order, so the file does not depend on training's packing order.
  for (let h = 0; h < model.rowOf.length; h++) {
    const r = model.rowOf[h] as number;
    if (r < 0) continue;
    const weights = model.rowWeights.subarray(r * c, r * c + c);
    if (weights.every((v) => v === 0)) continue;
    rows.push(h);
    kept.push(...weights);
  }
  const sparse = quantize(kept);
  const dense = quantize(model.denseWeights);
  return {
    classes: c,
    temperature: model.temperature,
    bias: Array.from(model.bias, round6),
    rows: encodeRows(rows),
    weights: int8ToBase64(sparse.bytes),
    scale: sparse.scale,
    denseDim: model.denseDim,
    dense: int8ToBase64(dense.bytes),
    denseScale: dense.scale,
  };
}

function deserializeModel(s: SerializedModel, hashBits: number): LinearModel {
  const rowOf = new Int32Array(1 << hashBits).fill(-1);
  decodeRows(s.rows).forEach((h, i) => (rowOf[h] = i));
  const rowWeights = Float32Array.from(base64ToInt8(s.weights), (q) => q * s.scale);
  const dq = base64ToInt8(s.dense);
  const denseWeights = Float32Array.from(dq, (v) => v * s.denseScale);
  return {
    classes: s.classes,
    hashBits,
    rowOf,
    rowWeights,
    denseDim: s.denseDim,
    denseWeights,
    bias: Float32Array.from(s.bias),
    temperature: s.temperature,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Throws NluArtifactError unless the artifact was trained for exactly this code's labels. */
export function verifyLabels(file: NluArtifactFile): void {
  if (file.format !== ARTIFACT_FORMAT || file.version !== ARTIFACT_VERSION) {
    throw new NluArtifactError(
      `NLU artifact has format ${String(file.format)} v${String(file.version)}, this worker reads ${ARTIFACT_FORMAT} v${ARTIFACT_VERSION}; run npm run train:nlu`,
    );
  }
  if (!sameList(file.labels.intents, INTENTS) || file.intent.classes !== INTENTS.length) {
    throw new NluArtifactError(
      `NLU artifact intents [${file.labels.intents.join(', ')}] do not match this worker's [${INTENTS.join(', ')}]; run npm run train:nlu`,
    );
  }
  if (!sameList(file.labels.specialties, SPECIALTIES) || file.specialty.classes !== SPECIALTIES.length + 1) {
    throw new NluArtifactError(
      `NLU artifact specialties [${file.labels.specialties.join(', ')}] do not match this worker's [${SPECIALTIES.join(', ')}]; run npm run train:nlu`,
    );
  }
}

/**
 * Throws NluArtifactError unless the artifact's dense features come from the
 * encoder this worker runs (or from none when the encoder is off).
 */
export function verifyEncoder(file: NluArtifactFile, encoder: { id: string; dim?: number } | null): void {
  const trained = file.encoder;
  if (encoder === null && trained !== null) {
    throw new NluArtifactError(`NLU artifact needs encoder ${trained.id} (dim ${trained.dim}) but the encoder is off`);
  }
  if (encoder !== null && trained === null) {
    throw new NluArtifactError(`encoder ${encoder.id} is on but the NLU artifact is lexical-only; train one with --encoder`);
  }
  if (encoder !== null && trained !== null) {
    if (encoder.id !== trained.id || (encoder.dim !== undefined && encoder.dim !== trained.dim)) {
      throw new NluArtifactError(
        `NLU artifact was trained with encoder ${trained.id} (dim ${trained.dim}), worker runs ${encoder.id} (dim ${encoder.dim ?? '?'})`,
      );
    }
  }
}

/** Reads, checks the labels of, and decodes an artifact file. */
export function loadArtifact(path: string): LoadedArtifact {
  let file: NluArtifactFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as NluArtifactFile;
  } catch (err) {
    throw new NluArtifactError(`cannot read NLU artifact ${path}: ${(err as Error).message}`);
  }
  verifyLabels(file);
  return {
    file,
    intent: deserializeModel(file.intent, file.features.hashBits),
    specialty: deserializeModel(file.specialty, file.features.hashBits),
  };
}

/** Stable JSON text of an artifact (no timestamps: retraining the same data gives the same bytes). */
export function artifactJson(file: NluArtifactFile): string {
  return `${JSON.stringify(file, null, 1)}\n`;
}
