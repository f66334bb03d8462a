import type { Logger } from '@medcita/shared';
import type { Clock } from '../clinic-port.js';
import { addDays, localDateOf, zonedInstant } from './zoned-time.js';

const RETRY_MS = 60_000;

/**
 * When the builtin store's slot window is seeded: at worker start and again
 * at each clinic-local midnight, so no patient's turn waits for the ~1,650
 * writes of a seed (docs/clinic-backend.md). The first call of a day that
 * finds the window stale still seeds (and waits): the fallback for a
 * process that never called start(), a timer that is late, or a failed seed.
 */
export class SeedSchedule {
  /** The clinic-local midnight that ends the day last seeded; from then on the window must roll forward. */
  private seededUntil = -Infinity;
  private seeding: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly seed: () => Promise<unknown>,
    private readonly opts: { clock: Clock; timeZone: string; logger?: Logger | undefined },
  ) {}

  /** A seed done at `now` covers that clinic-local day. */
  seeded(now: number): void {
    this.seededUntil = zonedInstant(addDays(localDateOf(now, this.opts.timeZone), 1), 0, this.opts.timeZone);
  }

  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.refresh();
    } finally {
      this.schedule();
    }
  }

  /** Idempotent. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async ensure(): Promise<void> {
    if (this.opts.clock() < this.seededUntil) return;
    await this.refresh();
  }

  /** One seed at a time in this process; callers arriving meanwhile wait for it. */
  private refresh(): Promise<void> {
    this.seeding ??= this.seed()
      .then(() => undefined)
      .finally(() => {
        this.seeding = undefined;
      });
    return this.seeding;
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const left = this.seededUntil - this.opts.clock();
    // A failed seed leaves the day stale: try again in a minute rather than at once.
    this.timer = setTimeout(() => void this.rollOver(), left > 0 ? left : RETRY_MS);
    this.timer.unref();
  }

  private async rollOver(): Promise<void> {
    try {
      // A timer may fire a millisecond early; then there is nothing to do yet.
      await this.ensure();
    } catch (err) {
      this.opts.logger?.warn({ err: (err as Error).message }, 'builtin clinic: midnight re-seed failed; retrying');
    } finally {
      this.schedule();
    }
  }
}
