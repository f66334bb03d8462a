import { CircuitBreaker, type BreakerState } from '../../src/clinic/http/circuit-breaker.js';

describe(CircuitBreaker.name, () => {
  let now: number;
  let changes: string[];
  const make = () =>
    new CircuitBreaker({
      failureThreshold: 2,
      cooldownMs: 1000,
      clock: () => now,
      onStateChange: (from: BreakerState, to: BreakerState) => changes.push(`${from}->${to}`),
    });

  beforeEach(() => {
    now = 0;
    changes = [];
  });

  it('stays closed while failures are not consecutive', () => {
    const b = make();
    b.recordFailure();
    b.recordSuccess();
    b.recordFailure();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('lets exactly one trial through when half-open', () => {
    const b = make();
    b.recordFailure();
    b.recordFailure();
    expect(b.tryAcquire()).toBe(false);
    now = 1000;
    expect(b.tryAcquire()).toBe(true);
    expect(b.state).toBe('half_open');
    expect(b.tryAcquire()).toBe(false);
    b.recordSuccess();
    expect(b.tryAcquire()).toBe(true);
    expect(changes).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('reopens from half-open on one failure, with a fresh cooldown', () => {
    const b = make();
    b.recordFailure();
    b.recordFailure();
    now = 1500;
    expect(b.tryAcquire()).toBe(true);
    b.recordFailure();
    expect(b.state).toBe('open');
    now = 2400;
    expect(b.tryAcquire()).toBe(false);
    now = 2500;
    expect(b.tryAcquire()).toBe(true);
  });
});
