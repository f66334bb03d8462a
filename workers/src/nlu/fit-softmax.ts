import { seededRng } from '@medcita/shared';
import type { SparseVector } from './features.js';
import { logits, softmax, type LinearModel } from './linear-model.js';

export interface TrainingExample {
  readonly x: SparseVector;
  readonly dense?: Float32Array;
  readonly label: number;
}

export interface TrainOptions {
  readonly classes: number;
  readonly hashBits: number;
  readonly denseDim: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** Folds used to fit the softmax temperature on out-of-fold predictions. */
  readonly calibrationFolds: number;
}

export const DEFAULT_TRAIN: Omit<TrainOptions, 'classes' | 'hashBits' | 'denseDim'> = {
  epochs: 12,
  learningRate: 0.5,
  l2: 1e-5,
  seed: 20240611,
  calibrationFolds: 3,
};

function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

// Inverse-frequency weights so a class with many examples (symptoms) does not
// drown the short social intents; capped to keep rare classes from dominating.
function classWeights(examples: readonly TrainingExample[], classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const e of examples) counts[e.label] = (counts[e.label] as number) + 1;
  const mean = examples.length / classes;
  return counts.map((n) => (n === 0 ? 0 : Math.min(3, Math.sqrt(mean / n))));
}

/**
 * Softmax regression with row-wise AdaGrad and lazy L2 (only rows an example touches
 * decay), in a seeded order. Returns temperature 1; see `trainCalibrated`.
 */
export function trainLinear(examples: readonly TrainingExample[], opts: TrainOptions): LinearModel {
  // Train over the hashed rows that actually occur, renumbered densely: the
  // full hashed table is tens of MB and every row access would miss the cache.
  const local = new Map<number, number>();
  const compact = examples.map((ex) => {
    const indices = Int32Array.from(ex.x.indices, (h) => {
      let id = local.get(h);
      if (id === undefined) {
        id = local.size;
        local.set(h, id);
      }
      return id;
    });
    return { ...ex, x: { indices, values: ex.x.values } };
  });
  const trained = trainRows(compact, local.size, opts);
  const rowOf = new Int32Array(1 << opts.hashBits).fill(-1);
  for (const [h, id] of local) rowOf[h] = id;
  return {
    classes: opts.classes,
    hashBits: opts.hashBits,
    temperature: 1,
    denseDim: opts.denseDim,
    rowOf,
    rowWeights: Float32Array.from(trained.w),
    denseWeights: Float32Array.from(trained.dw),
    bias: Float32Array.from(trained.bias),
  };
}

function trainRows(
  examples: readonly TrainingExample[],
  rows: number,
  opts: TrainOptions,
): { w: Float64Array; dw: Float64Array; bias: Float64Array } {
  const c = opts.classes;
  const w = new Float64Array(rows * c);
  const g = new Float64Array(rows);
  const dw = new Float64Array(opts.denseDim * c);
  const dg = new Float64Array(opts.denseDim * c);
  const bias = new Float64Array(c);
  const bg = new Float64Array(c);
  const weights = classWeights(examples, c);
  // Seeded: the same data must give the same artifact, byte for byte.
  const random = seededRng(opts.seed);
  const grad = new Float64Array(c);
  const p = new Float64Array(c);
  const l2 = opts.l2;
  const eps = 1e-8;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const idx of shuffled(examples.length, random)) {
      const ex = examples[idx] as TrainingExample;
      // Scores inlined over the float64 arrays: the generic `logits` sees two
      // array types and runs several times slower in this hot loop.
      for (let k = 0; k < c; k++) p[k] = bias[k] as number;
      for (let i = 0; i < ex.x.indices.length; i++) {
        const row = (ex.x.indices[i] as number) * c;
        const v = ex.x.values[i] as number;
        for (let k = 0; k < c; k++) p[k] = (p[k] as number) + v * (w[row + k] as number);
      }
      if (ex.dense) {
        for (let d = 0; d < opts.denseDim; d++) {
          const v = ex.dense[d] as number;
          for (let k = 0; k < c; k++) p[k] = (p[k] as number) + v * (dw[d * c + k] as number);
        }
      }
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, p[k] as number);
      let sum = 0;
      for (let k = 0; k < c; k++) {
        p[k] = Math.exp((p[k] as number) - max);
        sum += p[k] as number;
      }
      for (let k = 0; k < c; k++) p[k] = (p[k] as number) / sum;
      const exWeight = weights[ex.label] as number;
      for (let k = 0; k < c; k++) grad[k] = exWeight * ((p[k] as number) - (k === ex.label ? 1 : 0));
      for (let k = 0; k < c; k++) {
        const gk = grad[k] as number;
        bg[k] = (bg[k] as number) + gk * gk;
        bias[k] = (bias[k] as number) - (opts.learningRate * gk) / Math.sqrt((bg[k] as number) + eps);
      }
      for (let i = 0; i < ex.x.indices.length; i++) {
        const f = ex.x.indices[i] as number;
        const row = f * c;
        const v = ex.x.values[i] as number;
        // One AdaGrad accumulator per feature row (not per weight): a sqrt per
        // feature instead of per class keeps training to a few seconds.
        let sq = 0;
        for (let k = 0; k < c; k++) {
          const gj = (grad[k] as number) * v + l2 * (w[row + k] as number);
          sq += gj * gj;
        }
        g[f] = (g[f] as number) + sq / c;
        const step = opts.learningRate / Math.sqrt(g[f] + eps);
        for (let k = 0; k < c; k++) {
          const j = row + k;
          w[j] = (w[j] as number) - step * ((grad[k] as number) * v + l2 * (w[j] as number));
        }
      }
      if (ex.dense) {
        for (let d = 0; d < opts.denseDim; d++) {
          const v = ex.dense[d] as number;
          for (let k = 0; k < c; k++) {
            const j = d * c + k;
            const gj = (grad[k] as number) * v + l2 * (dw[j] as number);
            dg[j] = (dg[j] as number) + gj * gj;
            dw[j] = (dw[j] as number) - (opts.learningRate * gj) / Math.sqrt(dg[j] + eps);
          }
        }
      }
    }
  }
  return { w, dw, bias };
}

/** Temperature minimizing the negative log-likelihood of held-out logits (grid search, deterministic). */
export function fitTemperature(heldOut: ReadonlyArray<{ scores: Float64Array; label: number }>): number {
  let best = 1;
  let bestLoss = Infinity;
  for (let t = 0.2; t <= 5; t *= 1.05) {
    let loss = 0;
    for (const { scores, label } of heldOut) loss -= Math.log(Math.max(1e-12, softmax(scores, t)[label] as number));
    if (loss < bestLoss - 1e-9) {
      bestLoss = loss;
      best = t;
    }
  }
  return Math.round(best * 1000) / 1000;
}

/**
 * Trains on everything and fits the temperature on k-fold out-of-fold scores,
 * so confidences mean "how often this is right" on messages the model did not see.
 */
export function trainCalibrated(examples: readonly TrainingExample[], opts: TrainOptions): LinearModel {
  const k = opts.calibrationFolds;
  const fold = shuffled(examples.length, seededRng(opts.seed ^ 0x5bd1e995)).map((_, i) => i % k);
  const order = shuffled(examples.length, seededRng(opts.seed ^ 0x27d4eb2f));
  const foldOf = new Int32Array(examples.length);
  order.forEach((exampleIndex, i) => (foldOf[exampleIndex] = fold[i] as number));
  const heldOut: Array<{ scores: Float64Array; label: number }> = [];
  for (let f = 0; f < k; f++) {
    const trainPart = examples.filter((_, i) => foldOf[i] !== f);
    const model = trainLinear(trainPart, opts);
    examples.forEach((ex, i) => {
      if (foldOf[i] === f) heldOut.push({ scores: logits(model, ex.x, ex.dense), label: ex.label });
    });
  }
  return { ...trainLinear(examples, opts), temperature: fitTemperature(heldOut) };
}
