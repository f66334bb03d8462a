import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Individual operator accounts with scrypt-hashed passwords. A hash reads
 * `scrypt$<N>$<r>$<p>$<salt base64>$<key base64>` (`npm run operator:hash`
 * prints one), so the cost can be raised later without breaking old hashes.
 */
export interface OperatorAccount {
  id: string;
  hash: string;
}

const DEFAULT_COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;
/** Operator ids appear in the audit and on the page: short, no separators of the config formats. */
const OPERATOR_ID = /^[A-Za-z0-9._-]{1,40}$/;

function scrypt(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLength, { ...opts, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = DEFAULT_COST): Promise<string> {
  if (password.length < 10) throw new Error('an operator password needs at least 10 characters');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(hash: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | null {
  const m = HASH.exec(hash);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // N must be a power of two above 1 for scrypt.
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1) return null;
  return { N, r, p, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

/**
 * Parses operator accounts from `OPERATORS` (`id:hash` separated by commas or
 * newlines) or a secret file with one `id:hash` per line (`#` comments).
 * Throws a message naming the bad entry (never the hash) when one is invalid.
 */
export function parseOperators(text: string): OperatorAccount[] {
  const out: OperatorAccount[] = [];
  const seen = new Set<string>();
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const [i, entry] of entries.entries()) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep).trim() : '';
    const hash = sep > 0 ? entry.slice(sep + 1).trim() : '';
    if (!OPERATOR_ID.test(id)) throw new Error(`entry ${i + 1} needs "id:hash" with an id of letters, digits, . _ - (at most 40)`);
    if (!parseHash(hash)) throw new Error(`operator "${id}" has no valid scrypt hash (npm run operator:hash prints one)`);
    if (seen.has(id)) throw new Error(`operator "${id}" appears twice`);
    seen.add(id);
    out.push({ id, hash });
  }
  return out;
}

export class OperatorAccounts {
  private readonly byId: Map<string, OperatorAccount>;
  /** Verified against when the id is unknown, so timing does not tell which ids exist. */
  private readonly decoy: Promise<string>;

  constructor(accounts: OperatorAccount[]) {
    this.byId = new Map(accounts.map((a) => [a.id, a]));
    this.decoy = hashPassword(randomBytes(16).toString('hex'));
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  async verify(id: string, password: string): Promise<boolean> {
    const account = this.byId.get(id);
    const parsed = parseHash(account?.hash ?? (await this.decoy))!;
    const key = await scrypt(password, parsed.salt, parsed.key.length, { N: parsed.N, r: parsed.r, p: parsed.p });
    return timingSafeEqual(key, parsed.key) && account !== undefined;
  }
}
