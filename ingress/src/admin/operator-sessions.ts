import { fleetKeys, type RedisClient } from '@medcita/shared';
import { createHash, randomBytes } from 'node:crypto';

export interface OperatorSession {
  operator: string;
  /** Sent back with every state-changing request (form field or header). */
  csrf: string;
  /** Epoch ms; absolute, not sliding: an operator signs in again each shift. */
  expiresAt: number;
}

/**
 * Signed-in operators, in Redis so any ingress replica accepts the cookie.
 * The cookie holds a random token; Redis keeps only its SHA-256, so a dump of
 * Redis does not yield usable cookies.
 */
export class OperatorSessions {
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly opts: { keyPrefix: string; ttlSeconds: number; now?: () => number },
  ) {
    this.now = opts.now ?? Date.now;
  }

  get ttlSeconds(): number {
    return this.opts.ttlSeconds;
  }

  private key(token: string): string {
    return fleetKeys(this.opts.keyPrefix).operatorSession(createHash('sha256').update(token).digest('hex'));
  }

  async create(operator: string): Promise<{ token: string; session: OperatorSession }> {
    const token = randomBytes(32).toString('base64url');
    const session = { operator, csrf: randomBytes(24).toString('base64url'), expiresAt: this.now() + this.opts.ttlSeconds * 1000 };
    await this.redis.set(this.key(token), JSON.stringify(session), 'EX', this.opts.ttlSeconds);
    return { token, session };
  }

  async get(token: string | undefined): Promise<OperatorSession | null> {
    if (!token || token.length > 100) return null;
    const raw = await this.redis.get(this.key(token));
    if (!raw) return null;
    const session = JSON.parse(raw) as OperatorSession;
    return session.expiresAt > this.now() ? session : null;
  }

  async destroy(token: string | undefined): Promise<void> {
    if (token && token.length <= 100) await this.redis.del(this.key(token));
  }
}
