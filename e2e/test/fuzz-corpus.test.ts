/**
 * The webhook fuzzer's corpus (tools/fuzz/corpus/: inputs that reached new
 * answers, and every input that once broke an invariant) replayed through
 * signature check, parse and accept, then a few thousand fresh mutations of
 * real deliveries. Each must get a documented answer, and nothing refused may
 * leave anything in Redis (private key and queue prefixes, checked).
 */
import { REPO_ROOT, TEST_REDIS_URL } from '@medcita/testkit';
import path from 'node:path';
import { loadCorpus } from '../../tools/fuzz/corpus.js';
import { runFuzz } from '../../tools/fuzz/run-fuzz.js';

describe('webhook fuzzing, CI size', () => {
  const corpus = loadCorpus(path.join(REPO_ROOT, 'tools/fuzz/corpus'));

  it('keeps a corpus that covers refused, unparseable and accepted bodies', () => {
    expect(corpus.length).toBeGreaterThan(10);
    expect(corpus.some((e) => e.signature !== 'valid')).toBe(true);
    expect(corpus.some((e) => e.mutations.includes('truncate-json'))).toBe(true);
  });

  it('answers the corpus and 3,000 new mutations as documented, and refused bodies write nothing', async () => {
    const result = await runFuzz({ runs: 3_000, seed: Date.now() % 100_000, redisUrl: TEST_REDIS_URL, lanes: 4, epoch: 1_000, corpus });
    expect(result.failures.map((f) => `${f.failure}\n${f.body.slice(0, 300)}`)).toEqual([]);
    expect(result.runs).toBe(corpus.length + 3_000);
    expect(Object.keys(result.outcomes)).toEqual(expect.arrayContaining(['200 accepted', '200 unparseable', '401 bad_signature']));
  }, 300_000);
});
