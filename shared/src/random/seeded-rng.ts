/** A uniform number generator in [0, 1); `Math.random` or a seeded one. */
export type Rng = () => number;

/**
 * mulberry32: tiny, fast and good enough to make a delivery order or a
 * training run reproducible from one integer seed (not for anything secret).
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
