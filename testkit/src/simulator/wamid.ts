import { randomBytes } from 'node:crypto';
import { randomHex, type Rng } from './random.js';

/**
 * Builds a message id shaped like Meta's: `wamid.` + base64 of a small
 * protobuf-like record holding the user's number and a hex message key, e.g.
 * `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUZCQzg1M0Q2RjE0QjJCQzBBMAA=`.
 * Inbound ids carry a 20-hex key (tag 0x12), outbound ones 18 hex (tag 0x11),
 * which is what real ids decode to. Unique unless a seeded rng is replayed.
 */
export function makeWamid(opts: { user?: string; direction?: 'in' | 'out'; rng?: Rng } = {}): string {
  const user = Buffer.from((opts.user ?? '0').slice(0, 60), 'utf8');
  const inbound = (opts.direction ?? 'in') === 'in';
  const keyLength = inbound ? 20 : 18;
  const key = opts.rng
    ? randomHex(opts.rng, keyLength)
    : randomBytes(keyLength / 2)
        .toString('hex')
        .toUpperCase();
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, user.length]),
    user,
    Buffer.from([0x15, 0x02, 0x00, inbound ? 0x12 : 0x11, 0x18, key.length]),
    Buffer.from(key, 'ascii'),
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString('base64')}`;
}
