import { seededRng, type Rng } from '@medcita/testkit/simulator';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { mutate, type MutationName } from './mutate.js';
import { seedBodies } from './seeds.js';
import { WebhookTarget, type Execution, type SignatureCase } from './webhook-target.js';

/** One input worth keeping: the exact bytes posted and how they were signed. */
export interface CorpusEntry {
  signature: SignatureCase;
  mutations: MutationName[];
  body: string;
  /** Set on an input that broke an invariant. */
  failure?: string;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  redisUrl: string;
  /** Bodies run at once, each on its own Redis connection. */
  lanes: number;
  /** Runs between two checks (and clears) of what Redis holds. */
  epoch: number;
  /** Inputs replayed first, before any mutation. */
  corpus?: CorpusEntry[];
  onProgress?: (done: number, perSecond: number) => void;
}

export interface FuzzResult {
  runs: number;
  seconds: number;
  perSecond: number;
  outcomes: Record<string, number>;
  /** Inputs whose (answer, outcome, shape) was new: candidates for the corpus. */
  interesting: CorpusEntry[];
  failures: CorpusEntry[];
}

const MAX_CORPUS_BYTES = 4_096;

function shapeOf(e: Execution, entry: CorpusEntry): string {
  const bucket = (n: number) => (n === 0 ? '0' : n === 1 ? '1' : 'n');
  return `${e.status}|${e.outcome}|${entry.signature}|messages:${bucket(e.wamids.length)}|${entry.mutations.filter((m) => m === 'truncate-json' || m === 'flip-byte').join('+')}`;
}

function signatureCase(rng: Rng): SignatureCase {
  const r = rng();
  return r < 0.94 ? 'valid' : r < 0.96 ? 'bad' : r < 0.98 ? 'missing' : 'mangled';
}

/**
 * Replays the corpus, then runs `runs` mutated real deliveries through the
 * webhook path on private prefixes. After every epoch it checks that Redis
 * holds messages only from bodies that were accepted, then clears them.
 */
export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const rng = seededRng(opts.seed);
  const seeds = seedBodies();
  const id = randomUUID().slice(0, 8);
  const clients = Array.from({ length: opts.lanes }, () => new Redis(opts.redisUrl, { maxRetriesPerRequest: 1 }));
  const targets = clients.map((c, i) => new WebhookTarget(c, `fuzz-${id}-${i}`, `{fuzz-${id}-${i}}`));
  const outcomes: Record<string, number> = {};
  const shapes = new Set<string>();
  const interesting: CorpusEntry[] = [];
  const failures: CorpusEntry[] = [];
  let accepted = new Set<string>();
  const replay = [...(opts.corpus ?? [])];
  let next = 0;
  const total = replay.length + opts.runs;
  const started = Date.now();
  let lastReport = started;

  const checkEpoch = async () => {
    for (const t of targets) {
      for (const key of (await t.keys()).filter((k) => k.endsWith(':inbox'))) {
        for (const raw of await t.redis.lrange(key, 0, -1)) {
          const wamid = (JSON.parse(raw) as { message: { wamid: string } }).message.wamid;
          if (!accepted.has(wamid))
            failures.push({
              signature: 'valid',
              mutations: [],
              body: raw,
              failure: `inbox ${key} holds ${wamid}, which no accepted body carried`,
            });
        }
      }
      await t.clear();
    }
    accepted = new Set();
  };

  try {
    await Promise.all(targets.map((t) => t.ready()));
    for (let epochStart = 0; epochStart < total && failures.length === 0; epochStart += opts.epoch) {
      const batchEnd = Math.min(total, epochStart + opts.epoch);
      await Promise.all(
        targets.map(async (target) => {
          while (next < batchEnd) {
            const i = next++;
            const entry: CorpusEntry =
              i < replay.length
                ? replay[i]!
                : (() => {
                    const { raw, applied } = mutate(seeds[Math.floor(rng() * seeds.length)], seeds, rng);
                    return { signature: signatureCase(rng), mutations: applied, body: raw };
                  })();
            const e = await target.exec(Buffer.from(entry.body, 'utf8'), entry.signature);
            const key = `${e.status} ${e.outcome ?? '-'}`;
            outcomes[key] = (outcomes[key] ?? 0) + 1;
            if (e.outcome === 'accepted' || e.outcome === 'duplicate') for (const w of e.wamids) accepted.add(w);
            if (e.failure) failures.push({ ...entry, failure: e.failure });
            const shape = shapeOf(e, entry);
            if (i >= replay.length && !shapes.has(shape) && entry.body.length <= MAX_CORPUS_BYTES) {
              shapes.add(shape);
              interesting.push(entry);
            }
            if (opts.onProgress && Date.now() - lastReport > 5_000) {
              lastReport = Date.now();
              opts.onProgress(next, Math.round(next / ((Date.now() - started) / 1_000)));
            }
          }
        }),
      );
      await checkEpoch();
    }
  } finally {
    await Promise.all(targets.map((t) => t.clear().catch(() => undefined)));
    await Promise.all(targets.map((t) => t.queue.close().catch(() => undefined)));
    clients.forEach((c) => c.disconnect());
  }
  const seconds = (Date.now() - started) / 1_000;
  return { runs: next, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(next / seconds), outcomes, interesting, failures };
}

/** A stable file name for a corpus entry. */
export function entryName(entry: CorpusEntry): string {
  const hash = createHash('sha256').update(entry.signature).update(entry.body).digest('hex').slice(0, 12);
  return `${entry.failure ? 'crash' : 'input'}-${hash}.json`;
}
