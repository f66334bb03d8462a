import { MicroBatcher } from '../../src/nlu/micro-batcher.js';

function sut(maxItems: number, maxWaitMs: number) {
  const batches: string[][] = [];
  const sizes: number[] = [];
  const batcher = new MicroBatcher<string, string>({
    maxItems,
    maxWaitMs,
    run: async (inputs) => {
      batches.push(inputs);
      if (inputs.includes('boom')) throw new Error('inference failed');
      return inputs.map((s) => s.toUpperCase());
    },
    onBatch: (size) => sizes.push(size),
  });
  return { batcher, batches, sizes };
}

describe(MicroBatcher.name, () => {
  it('runs concurrent calls as one batch and gives each caller its own result', async () => {
    const { batcher, batches, sizes } = sut(32, 5);
    const out = await Promise.all(['a', 'b', 'c', 'd'].map((s) => batcher.submit(s)));
    expect(out).toEqual(['A', 'B', 'C', 'D']);
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
    expect(sizes).toEqual([4]);
  });

  it('never puts more than maxItems in one batch', async () => {
    const { batcher, batches } = sut(3, 50);
    const out = await Promise.all(Array.from({ length: 7 }, (_, i) => batcher.submit(`x${i}`)));
    expect(out).toHaveLength(7);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
  });

  it('fails only the callers of a failing batch', async () => {
    const { batcher } = sut(2, 1);
    const results = await Promise.allSettled(['ok1', 'boom', 'ok2'].map((s) => batcher.submit(s)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('finishes queued work on close and refuses new work after', async () => {
    const { batcher } = sut(32, 20);
    const pending = batcher.submit('late');
    await batcher.close();
    await expect(pending).resolves.toBe('LATE');
    await expect(batcher.submit('after')).rejects.toThrow(/closed/);
  });
});
