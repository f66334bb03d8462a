import { SendLimiter } from '../../src/whatsapp/send-limiter.js';
import { PN, setup } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '573001112233' };
const LUIS = { phoneNumberId: PN, waId: '573004445566' };

async function waitUntilRate(limiter: SendLimiter, rate: number): Promise<void> {
  while ((await limiter.currentRate(PN)) < rate) await new Promise((r) => setTimeout(r, 5));
}

/** Most sends that arrived within any 1-second window. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('fleet-wide send pacing', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (t = await setup()));
  afterEach(() => t.teardown());

  it('keeps several workers together under the per-number rate', async () => {
    const rate = 10;
    const workers = [1, 2, 3].map(() => t.client({ limiter: { perSecond: rate } }));
    // Warm up HTTP connections first: a cold first request is slower than the
    // next, which would bunch arrivals up at the receiver for reasons that have
    // nothing to do with pacing.
    for (const [w, c] of workers.entries()) await c.send(ANA, { kind: 'text', body: 'warm-up' }, { idempotencyKey: `warm${w}` });
    t.fake.reset();
    const started = Date.now();
    await Promise.all(
      workers.flatMap((c, w) =>
        Array.from({ length: 9 }, (_, i) =>
          c.send(
            { phoneNumberId: PN, waId: `57300${w}${String(i).padStart(5, '0')}` },
            { kind: 'text', body: `m${i}` },
            { idempotencyKey: `w${w}:${i}` },
          ),
        ),
      ),
    );
    expect(t.fake.sent).toHaveLength(27);
    // Slots are spaced 1000/rate ms apart in Redis, so 27 sends cannot all be
    // out sooner than 2.6 s after the first: a lower bound, which a stalled
    // machine only makes longer. Unpaced they would all be out at once.
    expect(Math.max(...t.fake.sent.map((s) => s.receivedAt)) - started).toBeGreaterThanOrEqual(2_500);
    // At the receiver, sends whose slots passed while this (shared) process
    // was stalled arrive together, so the busiest second is bounded loosely.
    expect(busiestSecond(t.fake.sent.map((s) => s.receivedAt))).toBeLessThanOrEqual(2 * rate);
  });

  it('after 130429 every worker sends that number more slowly, instead of pausing it', async () => {
    t.fake.failNext(1, { status: 400, code: 130429, to: ANA.waId });
    // Rate 10/s halved by the throttle, climbing back too slowly to matter here.
    const limiter = { perSecond: 10, decreaseFactor: 0.5, increasePerSecond: 0.01 };
    await t.client({ limiter }).send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'a' });
    expect(t.fake.sent.map((s) => s.to)).toEqual([ANA.waId]);

    const other = t.client({ limiter });
    const started = Date.now();
    for (let i = 0; i < 6; i++)
      await other.send({ phoneNumberId: PN, waId: `5730055500${i}` }, { kind: 'text', body: 'hola' }, { idempotencyKey: `o${i}` });
    // Slots now 200 ms apart (5/s), fleet-wide: the 6th is at least 1 s after the
    // first (a lower bound, which a stalled machine only makes longer).
    expect(Math.max(...t.fake.sent.map((s) => s.receivedAt)) - started).toBeGreaterThanOrEqual(1_000 - 5);
    // Nobody was told to stop sending: no pause, only a slower pace.
    expect(t.logs.join('')).not.toContain('number-paused');
  });

  it('lowers the rate a little per throttle, never below the floor, and climbs back to the ceiling', async () => {
    const limiter = new SendLimiter({ redis: t.redis, keyPrefix: t.keyPrefix, perSecond: 80, increasePerSecond: 0.001 });
    expect(await limiter.currentRate(PN)).toBe(80);
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) rates.push(await limiter.slowDown(PN));
    // A 2.5 % trickle of throttles (2/s at 80/s) costs about 10 % of the rate per second, not a stop.
    expect(rates.map((r) => Math.round(r * 10) / 10)).toEqual([76, 72.2, 68.6]);
    for (let i = 0; i < 200; i++) await limiter.slowDown(PN);
    expect(await limiter.currentRate(PN)).toBeCloseTo(1, 1);

    const quick = new SendLimiter({ redis: t.redis, keyPrefix: `${t.keyPrefix}:quick`, perSecond: 80, increasePerSecond: 400 });
    await quick.slowDown(PN);
    // Recovered after (80 - 76) / 400 s = 10 ms; the key then expires.
    await waitUntilRate(quick, 80);
  });

  it('after 131056 delays only that user, fleet-wide', async () => {
    t.fake.failNext(1, { status: 400, code: 131056, to: ANA.waId });
    const anaSend = t.client().send(ANA, { kind: 'text', body: 'uno' }, { idempotencyKey: 'a1' });
    const throttledAt = await waitForRequest(t, (r) => r.errorCode === 131056);
    // A send that starts before the client has read the 131056 cannot know of it: the next
    // one starts once the pause is recorded (it raced the answer in a quiet CI run).
    const pauses = async () => (await t.redis.keys(`${t.keyPrefix}:wa:{${PN}}:pair:*`)).length;
    for (let i = 0; (await pauses()) === 0; i++) {
      if (i > 500) throw new Error('the pair pause was never recorded');
      await new Promise((r) => setTimeout(r, 5));
    }
    const anaAgain = t.client().send(ANA, { kind: 'text', body: 'dos' }, { idempotencyKey: 'a2' });
    await t.client().send(LUIS, { kind: 'text', body: 'hola' }, { idempotencyKey: 'l' });
    await Promise.all([anaSend, anaAgain]);

    expect(t.fake.sent[0]!.to).toBe(LUIS.waId);
    const anaTimes = t.fake.sent.filter((s) => s.to === ANA.waId).map((s) => s.receivedAt);
    expect(anaTimes).toHaveLength(2);
    // pairPauseMs is 600 in the test setup.
    for (const at of anaTimes) expect(at - throttledAt).toBeGreaterThanOrEqual(600 - 5);
  });
});

async function waitForRequest(t: Awaited<ReturnType<typeof setup>>, match: (r: { errorCode?: number }) => boolean): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const hit = t.fake.requests.find(match);
    if (hit) return hit.receivedAt;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the fake never saw the expected request');
}
