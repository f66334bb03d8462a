/**
 * Bytes of webhook bodies being read, across all requests of the process.
 *
 * Large bodies may only use `largeShare` of the budget, so slow large uploads
 * cannot take all of it: the rest stays for ordinary deliveries (a few KiB),
 * which keep being accepted while an attacker holds every large slot
 * (docs/operations.md, "Hostile traffic").
 */
export class InFlightBudget {
  private used = 0;

  constructor(
    readonly limitBytes: number,
    /** Bodies above this many bytes count as large. */
    readonly largeBodyBytes = 64 * 1024,
    readonly largeShare = 0.75,
  ) {}

  get inFlight(): number {
    return this.used;
  }

  reserve(bytes: number): boolean {
    const ceiling = bytes > this.largeBodyBytes ? this.limitBytes * this.largeShare : this.limitBytes;
    if (this.used + bytes > ceiling) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
