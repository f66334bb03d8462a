import { normalize, phoneticKey } from './normalize.js';

/** How text becomes hashed lexical features; stored in the artifact so training and serving agree. */
export interface FeatureConfig {
  /** log2 of the hashed feature space. */
  readonly hashBits: number;
  readonly charNgramMin: number;
  readonly charNgramMax: number;
  readonly wordBigrams: boolean;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  hashBits: 18,
  charNgramMin: 2,
  charNgramMax: 5,
  wordBigrams: true,
};

/** Sparse feature vector: parallel arrays of hashed indices and values (duplicates add up). */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Lexical features plus the hashed word unigrams alone (to tell how many words the model knows). */
export interface LexicalFeatures extends SparseVector {
  readonly wordIndices: Int32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Distinct seeds keep the word "de" and the character bigram "de" apart.
const SEED_WORD = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca77;
const SEED_CHAR = 0xc2b2ae3d;

// Final avalanche so the low bits used for the bucket are well mixed.
function mix(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

function hashRange(seed: number, s: string, start: number, end: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return mix(h);
}

/**
 * Word unigrams and bigrams plus character n-grams inside word boundaries
 * ("#kiero#"), over phonetic keys of the normalized text, hashed into
 * 2^hashBits buckets and scaled to unit length.
 */
export function lexicalFeatures(text: string, config: FeatureConfig): LexicalFeatures {
  return featuresOfNormalized(normalize(text), config);
}

/** Phonetic keys of the words of an already normalized text. */
export function phoneticWords(normalized: string): string[] {
  return normalized === '' ? [] : normalized.split(' ').map(phoneticKey);
}

/** Hashed unigram and character n-grams of one phonetic word, appended to `out`; returns the unigram's index. */
export function pushWordFeatures(word: string, config: FeatureConfig, out: number[]): number {
  const mask = (1 << config.hashBits) - 1;
  const unigram = hashRange(SEED_WORD, word, 0, word.length) & mask;
  out.push(unigram);
  if (word.startsWith('_')) return unigram;
  const padded = `#${word}#`;
  // One pass per start position: the n-gram hashes extend each other, the
  // length is mixed in at the end so "ab" and "abc" stay apart.
  for (let i = 0; i + config.charNgramMin <= padded.length; i++) {
    let h = (FNV_OFFSET ^ SEED_CHAR) >>> 0;
    for (let n = 1; n <= config.charNgramMax && i + n <= padded.length; n++) {
      h ^= padded.charCodeAt(i + n - 1);
      h = Math.imul(h, FNV_PRIME);
      if (n >= config.charNgramMin) out.push(mix((h + Math.imul(n, 0x9e3779b9)) >>> 0) & mask);
    }
  }
  return unigram;
}

/** Hashed word bigram of `word` after `previous` (undefined at the start of the message). */
export function bigramFeature(previous: string | undefined, word: string, config: FeatureConfig): number {
  const pair = `${previous ?? '<s>'} ${word}`;
  return hashRange(SEED_BIGRAM, pair, 0, pair.length) & ((1 << config.hashBits) - 1);
}

/** The single feature of a message with no words at all. */
export function emptyFeature(config: FeatureConfig): number {
  return hashRange(SEED_WORD, '<empty>', 0, 7) & ((1 << config.hashBits) - 1);
}

/** `lexicalFeatures` of text already passed through `normalize`. */
export function featuresOfNormalized(normalized: string, config: FeatureConfig): LexicalFeatures {
  const words = phoneticWords(normalized);
  const out: number[] = [];
  const wordIndices = new Int32Array(words.length);
  words.forEach((word, w) => {
    wordIndices[w] = pushWordFeatures(word, config, out);
    if (config.wordBigrams) out.push(bigramFeature(words[w - 1], word, config));
  });
  if (words.length === 0) out.push(emptyFeature(config));
  const value = 1 / Math.sqrt(out.length);
  return { indices: Int32Array.from(out), values: new Float32Array(out.length).fill(value), wordIndices };
}
