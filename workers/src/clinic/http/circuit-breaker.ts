import type { Clock } from '../clinic-port.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails fast before letting one trial call through. */
  cooldownMs: number;
  clock?: Clock;
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

/**
 * closed → open after N consecutive failures → half-open after the cooldown
 * (exactly one trial call passes, the rest still fail fast) → closed when the
 * trial succeeds, open again for another cooldown when it fails.
 *
 * Every permit from tryAcquire() must be answered with exactly one
 * recordSuccess() or recordFailure(), or a half-open circuit stays stuck.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly clock: Clock;

  constructor(private readonly opts: CircuitBreakerOptions) {
    if (opts.failureThreshold < 1) throw new Error('failureThreshold must be >= 1');
    this.clock = opts.clock ?? Date.now;
  }

  get state(): BreakerState {
    return this.current;
  }

  /** True when the caller may send a request now. */
  tryAcquire(): boolean {
    if (this.current === 'open') {
      if (this.clock() - this.openedAt < this.opts.cooldownMs) return false;
      this.transition('half_open');
    }
    if (this.current === 'half_open') {
      if (this.trialInFlight) return false;
      this.trialInFlight = true;
    }
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.current !== 'closed') this.transition('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.opts.failureThreshold)) {
      this.openedAt = this.clock();
      this.transition('open');
    }
  }

  private transition(to: BreakerState): void {
    const from = this.current;
    this.current = to;
    this.opts.onStateChange?.(from, to);
  }
}
