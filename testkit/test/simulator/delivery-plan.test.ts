import { planDeliveries } from '@medcita/testkit/simulator';

const sessions = ['a', 'b', 'c', 'd'].map((s) => Array.from({ length: 8 }, (_, i) => `${s}${i}`));

function firstDeliveries(batches: string[][]): string[] {
  const seen = new Set<string>();
  return batches.flat().filter((m) => !seen.has(m) && seen.add(m));
}

function inSessionOrder(stream: string[]): boolean {
  return sessions.every((session) => {
    const order = stream.filter((m) => m[0] === session[0]![0]);
    return order.join() === session.join();
  });
}

describe(planDeliveries.name, () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const opts = { seed: 42, duplicateRate: 0.2 };
    expect(planDeliveries(sessions, opts)).toEqual(planDeliveries(sessions, opts));
    expect(planDeliveries(sessions, opts)).not.toEqual(planDeliveries(sessions, { ...opts, seed: 43 }));
  });

  it('delivers every message, interleaves sessions and keeps each session in order by default', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const stream = firstDeliveries(planDeliveries(sessions, { seed, duplicateRate: 0.3 }));
      expect([...stream].sort()).toEqual(sessions.flat().sort());
      expect(inSessionOrder(stream)).toBe(true);
    }
    const stream = firstDeliveries(planDeliveries(sessions, { seed: 7 }));
    expect(stream.slice(0, 8).join()).not.toBe(sessions[0]!.join());
  });

  it('delivers duplicates only after the original', () => {
    const batches = planDeliveries(sessions, { seed: 5, duplicateRate: 0.5 });
    const flat = batches.flat();
    expect(flat.length).toBeGreaterThan(32);
    const counts = new Map<string, number>();
    for (const m of flat) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    expect([...counts.values()].filter((n) => n === 2).length).toBeGreaterThan(5);
  });

  it('reorders within a session only when asked', () => {
    const reordered = [1, 2, 3, 4, 5].some(
      (seed) => !inSessionOrder(firstDeliveries(planDeliveries(sessions, { seed, reorderWithinSession: true }))),
    );
    expect(reordered).toBe(true);
  });

  it('batches within the requested sizes', () => {
    const batches = planDeliveries(sessions, { seed: 9, batchSize: { min: 2, max: 3 } });
    expect(batches.slice(0, -1).every((b) => b.length >= 2 && b.length <= 3)).toBe(true);
    expect(planDeliveries(sessions, { seed: 9, batchSize: 32 })).toHaveLength(1);
  });
});
