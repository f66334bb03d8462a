import type { Rng } from '@medcita/testkit/simulator';

/** How a body was changed, kept with a corpus entry. */
export type MutationName =
  | 'delete-field'
  | 'swap-type'
  | 'huge-string'
  | 'unicode'
  | 'deep-nesting'
  | 'duplicate-element'
  | 'truncate-json'
  | 'flip-byte'
  | 'splice-seed';

const UNICODE = ['\u0000', '\uFFFF', '\uD800', '\u202E', '👩‍⚕️', 'ñáé', '\u200B', '\n', '"', '\\', '𝕳𝖔𝖑𝖆', 'İ', '\u0301'];
const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  '0',
  [],
  {},
  [null],
  { '': '' },
  'NaN',
];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** A fresh copy of an odd value: the shared ones must never end up inside a body that is mutated further. */
const odd = (rng: Rng): unknown => structuredClone(pick(rng, ODD_VALUES));

/** Every [container, key] of a JSON value, so a mutation can land anywhere. */
function slots(
  value: unknown,
  out: [Record<string | number, unknown>, string | number][] = [],
): [Record<string | number, unknown>, string | number][] {
  if (value === null || typeof value !== 'object') return out;
  const container = value as Record<string | number, unknown>;
  for (const key of Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)) {
    out.push([container, key]);
    slots(container[key], out);
  }
  return out;
}

function hugeString(rng: Rng): string {
  // Mostly sizes a field could plausibly grow to; now and then one near a large delivery.
  const size = rng() < 0.05 ? 300_000 : pick(rng, [300, 1_000, 5_000, 20_000]);
  return pick(rng, ['a', '9', '€', '😀', ' ']).repeat(size);
}

function nested(rng: Rng): unknown {
  let v: unknown = odd(rng);
  const depth = pick(rng, [10, 100, 500]);
  for (let i = 0; i < depth; i++) v = rng() < 0.5 ? [v] : { a: v };
  return v;
}

function swapped(value: unknown, rng: Rng): unknown {
  if (typeof value === 'string') return rng() < 0.5 ? Number(value) || 42 : [value];
  if (typeof value === 'number') return rng() < 0.5 ? String(value) : { value };
  if (Array.isArray(value)) return rng() < 0.5 ? (value[0] ?? null) : Object.assign({}, value);
  if (value !== null && typeof value === 'object') return rng() < 0.5 ? Object.values(value) : JSON.stringify(value);
  return odd(rng);
}

/**
 * One to three structural mutations of a deep copy of `seed`, then with some
 * probability a byte-level one on the serialized text (truncation, a flipped
 * byte). Returns the exact bytes to post and the mutations applied.
 */
export function mutate(seed: unknown, seeds: readonly unknown[], rng: Rng): { raw: string; applied: MutationName[] } {
  const body = structuredClone<unknown>(seed);
  const applied: MutationName[] = [];
  const rounds = 1 + Math.floor(rng() * 3);
  for (let r = 0; r < rounds; r++) {
    const all = slots(body);
    if (all.length === 0) break;
    const [container, key] = pick(rng, all);
    const op = pick(rng, [
      'delete-field',
      'swap-type',
      'swap-type',
      'huge-string',
      'unicode',
      'deep-nesting',
      'duplicate-element',
      'splice-seed',
    ] as const);
    applied.push(op);
    switch (op) {
      case 'delete-field':
        if (Array.isArray(container)) container.splice(Number(key), 1);
        else delete container[key];
        break;
      case 'swap-type':
        container[key] = swapped(container[key], rng);
        break;
      case 'huge-string':
        container[key] = hugeString(rng);
        break;
      case 'unicode': {
        const v = container[key];
        const u = pick(rng, UNICODE);
        container[key] = typeof v === 'string' ? `${v.slice(0, Math.floor(rng() * (v.length + 1)))}${u}${v.slice(1)}` : u;
        break;
      }
      case 'deep-nesting':
        container[key] = nested(rng);
        break;
      case 'duplicate-element':
        if (Array.isArray(container)) container.splice(Number(key), 0, structuredClone(container[key]));
        else container[`${String(key)}_`] = container[key];
        break;
      case 'splice-seed': {
        const donor = slots(structuredClone(pick(rng, seeds)));
        if (donor.length > 0) {
          const [dc, dk] = pick(rng, donor);
          container[key] = dc[dk];
        }
        break;
      }
    }
  }
  let raw: string;
  try {
    raw = JSON.stringify(body) ?? 'null';
  } catch {
    // Nested past what JSON.stringify can walk: no sender could produce these bytes either.
    raw = JSON.stringify(seed);
    applied.length = 0;
  }
  const byteLevel = rng();
  if (byteLevel < 0.08) {
    applied.push('truncate-json');
    raw = raw.slice(0, Math.floor(rng() * raw.length));
  } else if (byteLevel < 0.12) {
    applied.push('flip-byte');
    const at = Math.floor(rng() * raw.length);
    raw = `${raw.slice(0, at)}${String.fromCharCode(Math.floor(rng() * 128))}${raw.slice(at + 1)}`;
  }
  return { raw, applied };
}
