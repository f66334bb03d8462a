import type { SparseVector } from './features.js';

/**
 * A multinomial logistic regression over hashed sparse features plus an
 * optional dense block (the sentence embedding). Only hashed features seen in
 * training have a weight row; rows are packed so the whole model stays a few
 * MB and cache-resident (a full 2^18 × classes table made scoring memory-bound).
 */
export interface LinearModel {
  readonly classes: number;
  readonly hashBits: number;
  /** Hashed feature → packed row, or -1 for a feature training never saw. Length 2^hashBits. */
  readonly rowOf: Int32Array;
  /** rows × classes */
  readonly rowWeights: Float32Array;
  readonly denseDim: number;
  /** denseDim × classes */
  readonly denseWeights: Float32Array;
  readonly bias: Float32Array;
  /** Softmax temperature fitted on out-of-fold predictions (calibration). */
  readonly temperature: number;
}

/** Raw scores for each class. */
export function logits(model: LinearModel, x: SparseVector, dense?: Float32Array): Float64Array {
  const c = model.classes;
  const out = new Float64Array(c);
  for (let k = 0; k < c; k++) out[k] = model.bias[k] as number;
  const w = model.rowWeights;
  const rowOf = model.rowOf;
  for (let i = 0; i < x.indices.length; i++) {
    const r = rowOf[x.indices[i] as number] as number;
    if (r < 0) continue;
    let p = r * c;
    const v = x.values[i] as number;
    for (let k = 0; k < c; k++, p++) out[k] = (out[k] as number) + v * (w[p] as number);
  }
  if (dense && model.denseDim > 0) {
    const dw = model.denseWeights;
    for (let d = 0; d < model.denseDim; d++) {
      const v = dense[d] as number;
      const row = d * c;
      for (let k = 0; k < c; k++) out[k] = (out[k] as number) + v * (dw[row + k] as number);
    }
  }
  return out;
}

/** Numerically stable softmax of `scores / temperature`. */
export function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp(((scores[k] as number) - max) / temperature);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / sum;
  return out;
}

/** Calibrated class probabilities. */
export function predictProba(model: LinearModel, x: SparseVector, dense?: Float32Array): Float64Array {
  return softmax(logits(model, x, dense), model.temperature);
}
