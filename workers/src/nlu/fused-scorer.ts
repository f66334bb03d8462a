import { bigramFeature, emptyFeature, pushWordFeatures, type FeatureConfig, type SparseVector } from './features.js';
import { softmax, type LinearModel } from './linear-model.js';

/** A word's unigram and character n-gram rows, summed once and reused. */
interface WordScore {
  readonly sums: Float32Array;
  readonly features: number;
  readonly known: boolean;
}

const WORD_CACHE_MAX = 20_000;

/**
 * The intent and specialty models merged into one packed table so a message's
 * features are looked up once for both: serving cost is dominated by those
 * scattered row lookups, not by the arithmetic.
 */
export class FusedScorer {
  private readonly rowOf: Int32Array;
  private readonly rows: Float32Array;
  private readonly width: number;
  private readonly words = new Map<string, WordScore>();

  constructor(
    private readonly first: LinearModel,
    private readonly second: LinearModel,
  ) {
    if (first.hashBits !== second.hashBits) throw new Error('models hash features differently');
    this.width = first.classes + second.classes;
    this.rowOf = new Int32Array(1 << first.hashBits).fill(-1);
    let count = 0;
    for (let h = 0; h < this.rowOf.length; h++) {
      if ((first.rowOf[h] as number) >= 0 || (second.rowOf[h] as number) >= 0) this.rowOf[h] = count++;
    }
    this.rows = new Float32Array(count * this.width);
    for (let h = 0; h < this.rowOf.length; h++) {
      const r = this.rowOf[h] as number;
      if (r < 0) continue;
      const a = first.rowOf[h] as number;
      const b = second.rowOf[h] as number;
      if (a >= 0) this.rows.set(first.rowWeights.subarray(a * first.classes, (a + 1) * first.classes), r * this.width);
      if (b >= 0) {
        this.rows.set(second.rowWeights.subarray(b * second.classes, (b + 1) * second.classes), r * this.width + first.classes);
      }
    }
  }

  /** True when training saw this hashed feature. */
  knows(hashed: number): boolean {
    return (this.rowOf[hashed] as number) >= 0;
  }

  /**
   * Calibrated probabilities of both models for a message given as phonetic
   * words, plus the share of words training saw. Same result as `score` on
   * `featuresOfNormalized`, but chat vocabulary is small and repetitive, so
   * each word's rows are summed once and cached: a message then costs a few
   * row additions per word instead of one per character n-gram.
   */
  scoreWords(words: readonly string[], config: FeatureConfig, dense?: Float32Array): [Float64Array, Float64Array, number] {
    const sums = new Float64Array(this.width);
    let features = 0;
    let known = 0;
    for (let w = 0; w < words.length; w++) {
      const word = words[w] as string;
      const cached = this.wordScore(word, config);
      for (let k = 0; k < this.width; k++) sums[k] = (sums[k] as number) + (cached.sums[k] as number);
      features += cached.features;
      if (cached.known) known += 1;
      if (config.wordBigrams) {
        this.addRow(sums, bigramFeature(words[w - 1], word, config), 1);
        features += 1;
      }
    }
    if (words.length === 0) {
      this.addRow(sums, emptyFeature(config), 1);
      features = 1;
    }
    const [a, b] = this.finish(sums, 1 / Math.sqrt(features), dense);
    return [a, b, words.length === 0 ? 0 : known / words.length];
  }

  /** Calibrated probabilities of both models for one message's feature vector. */
  score(x: SparseVector, dense?: Float32Array): [Float64Array, Float64Array] {
    const sums = new Float64Array(this.width);
    for (let i = 0; i < x.indices.length; i++) this.addRow(sums, x.indices[i] as number, x.values[i] as number);
    return this.finish(sums, 1, dense);
  }

  private wordScore(word: string, config: FeatureConfig): WordScore {
    const cached = this.words.get(word);
    if (cached) return cached;
    const indices: number[] = [];
    const unigram = pushWordFeatures(word, config, indices);
    const sums = new Float64Array(this.width);
    for (const index of indices) this.addRow(sums, index, 1);
    const score = { sums: Float32Array.from(sums), features: indices.length, known: this.knows(unigram) };
    // Bounded: a flood of random strings must not grow memory without limit.
    if (this.words.size >= WORD_CACHE_MAX) this.words.clear();
    this.words.set(word, score);
    return score;
  }

  private addRow(sums: Float64Array, hashed: number, value: number): void {
    const r = this.rowOf[hashed] as number;
    if (r < 0) return;
    let p = r * this.width;
    for (let k = 0; k < this.width; k++, p++) sums[k] = (sums[k] as number) + value * (this.rows[p] as number);
  }

  private finish(sums: Float64Array, scale: number, dense: Float32Array | undefined): [Float64Array, Float64Array] {
    const c1 = this.first.classes;
    const c2 = this.second.classes;
    const a = new Float64Array(c1);
    const b = new Float64Array(c2);
    for (let k = 0; k < c1; k++) a[k] = scale * (sums[k] as number) + (this.first.bias[k] as number);
    for (let k = 0; k < c2; k++) b[k] = scale * (sums[c1 + k] as number) + (this.second.bias[k] as number);
    if (dense) {
      addDense(a, this.first, dense);
      addDense(b, this.second, dense);
    }
    return [softmax(a, this.first.temperature), softmax(b, this.second.temperature)];
  }
}

function addDense(out: Float64Array, model: LinearModel, dense: Float32Array): void {
  const c = model.classes;
  for (let d = 0; d < model.denseDim; d++) {
    const v = dense[d] as number;
    for (let k = 0; k < c; k++) out[k] = (out[k] as number) + v * (model.denseWeights[d * c + k] as number);
  }
}
