/**
 * Failed sign-ins per key (an account, an address) in a fixed window, in
 * bounded memory: at most `maxEntries` keys are tracked, the oldest dropped
 * first. Rotating addresses to flood the table only evicts other addresses'
 * counts; the per-account count still stops guessing one operator's password.
 */
export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  since: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly opts: LoginThrottleOptions) {
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  retryAfterMs(key: string): number {
    const e = this.live(key);
    if (!e || e.failures < this.opts.maxFailures) return 0;
    return e.since + this.opts.windowMs - this.now();
  }

  fail(key: string): void {
    const e = this.live(key) ?? { failures: 0, since: this.now() };
    e.failures += 1;
    // Re-inserting moves the key to the young end of the eviction order.
    this.entries.delete(key);
    this.entries.set(key, e);
    this.prune();
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.since >= this.opts.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private prune(): void {
    const t = this.now();
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.opts.maxEntries && t - e.since < this.opts.windowMs) break;
      this.entries.delete(key);
    }
  }
}
