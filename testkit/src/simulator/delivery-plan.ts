import { randomInt, seededRng, type Rng } from './random.js';

export interface DeliveryPlanOptions {
  /** Same seed, same plan. */
  seed: number;
  /** Probability that an item is delivered a second time, later (Meta retries "at least once"). */
  duplicateRate?: number;
  /**
   * Also shuffle messages of one session among themselves. Off by default:
   * a real user's messages arrive in order almost always, and the interesting
   * bugs come from interleaving sessions and from redeliveries.
   */
  reorderWithinSession?: boolean;
  /** Items per POST: a number, or a range to pick from at random. Default 1..5. */
  batchSize?: number | { min: number; max: number };
}

/**
 * Turns per-session message sequences into the POSTs Meta would make: sessions
 * interleaved at random, some items delivered twice (the copy always after
 * the original), grouped into batches. The first delivery of every item keeps
 * its session's order unless `reorderWithinSession` is set.
 */
export function planDeliveries<T>(sessions: readonly (readonly T[])[], opts: DeliveryPlanOptions): T[][] {
  const rng = seededRng(opts.seed);
  const stream = opts.reorderWithinSession ? shuffled(sessions.flat(), rng) : interleave(sessions, rng);
  const withDuplicates = addDuplicates(stream, opts.duplicateRate ?? 0, rng);
  return toBatches(withDuplicates, opts.batchSize ?? { min: 1, max: 5 }, rng);
}

/** Picks the next session with probability proportional to what it has left. */
function interleave<T>(sessions: readonly (readonly T[])[], rng: Rng): T[] {
  const cursors = sessions.map(() => 0);
  let remaining = sessions.reduce((n, s) => n + s.length, 0);
  const out: T[] = [];
  while (remaining > 0) {
    let pick = Math.floor(rng() * remaining);
    let s = 0;
    while (pick >= sessions[s]!.length - cursors[s]!) {
      pick -= sessions[s]!.length - cursors[s]!;
      s++;
    }
    out.push(sessions[s]![cursors[s]!]!);
    cursors[s]!++;
    remaining--;
  }
  return out;
}

function shuffled<T>(items: T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function addDuplicates<T>(stream: T[], rate: number, rng: Rng): T[] {
  if (rate <= 0) return stream;
  const out = [...stream];
  // Walk originals from the end so earlier insertions do not shift later indexes.
  for (let i = stream.length - 1; i >= 0; i--) {
    if (rng() >= rate) continue;
    out.splice(randomInt(rng, i + 1, out.length), 0, stream[i]!);
  }
  return out;
}

function toBatches<T>(items: T[], size: DeliveryPlanOptions['batchSize'], rng: Rng): T[][] {
  const range = typeof size === 'number' ? { min: size, max: size } : size!;
  if (range.min < 1 || range.max < range.min) throw new Error('batchSize must be >= 1 and min <= max');
  const batches: T[][] = [];
  for (let i = 0; i < items.length;) {
    const n = randomInt(rng, range.min, range.max);
    batches.push(items.slice(i, i + n));
    i += n;
  }
  return batches;
}
