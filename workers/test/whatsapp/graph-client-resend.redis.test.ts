// GraphClient sending the same message again (a retried turn, a racing or dead worker): WhatsApp gets it once.
import { LogEvent, UnrecoverableError } from '@medcita/shared';
import { SendLedger, SendLimiter } from '../../src/whatsapp/index.js';
import { PN, sentStatus, setup } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '573001112233' };

describe('GraphClient', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (t = await setup()));
  afterEach(() => t.teardown());

  describe('when the same message is sent again', () => {
    it('sends once and returns the recorded id to the second caller', async () => {
      const first = await t.client().send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn7:0' });
      const second = await t.client().send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn7:0' });
      expect(first.skipped).toBe(false);
      expect(second).toEqual({ messageId: first.messageId, skipped: true });
      expect(t.fake.sent).toHaveLength(1);
    });

    it('sends once when two workers race on the same key', async () => {
      t.fake.setLatency(150, { requests: 1 });
      const results = await Promise.all(
        [t.client(), t.client()].map((c) => c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn8:0' })),
      );
      expect(t.fake.sent).toHaveLength(1);
      expect(results.filter((r) => r.skipped)).toHaveLength(1);
      expect(results.map((r) => r.messageId)).toEqual([t.fake.sent[0]!.messageId, t.fake.sent[0]!.messageId]);
    });

    describe('after the first sender died', () => {
      const timing = { unknownGraceMs: 400, takeoverMs: 200 };
      const crashed = () => new SendLedger(t.redis, t.keyPrefix, 60_000);
      /** What a sender leaves when it dies waiting for its slot (`onTheWire` false) or with its request out. */
      const deadSender = (ledger: SendLedger, key: string, owner: string, onTheWire: boolean) =>
        ledger.start(
          PN,
          key,
          owner,
          new SendLimiter({ redis: t.redis, keyPrefix: t.keyPrefix, perSecond: 1000 }).pacing(PN, ANA.waId),
          { ...timing, beginWithinMs: onTheWire ? 60_000 : -1 },
          true,
        );

      it('sends once when the dead sender never started its request', async () => {
        await deadSender(crashed(), 'turn9:0', 'dead', false);
        await new Promise((r) => setTimeout(r, 250));
        const result = await t
          .client({ timeoutMs: 200, statusWaitMs: 200 })
          .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn9:0' });
        expect(result).toEqual({ messageId: t.fake.sent[0]!.messageId, skipped: false });
        expect(t.fake.sent).toHaveLength(1);
      });

      it("does not resend when the status webhook settled the dead sender's request", async () => {
        const ledger = crashed();
        await deadSender(ledger, 'turn10:0', 'dead', true);
        // What the ingress does with WhatsApp's "sent" status echoing the key.
        await sentStatus(t, 'wamid.OUT10', 'turn10:0');
        const result = await t
          .client({ timeoutMs: 200, statusWaitMs: 200 })
          .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn10:0' });
        expect(result).toEqual({ messageId: 'wamid.OUT10', skipped: true });
        expect(t.fake.requests).toHaveLength(0);
      });

      it('waits out the grace for a status, then resends once and counts it', async () => {
        const ledger = crashed();
        await deadSender(ledger, 'turn11:0', 'dead', true);
        let resends = 0;
        const started = Date.now();
        const result = await t
          .client({ timeoutMs: 200, statusWaitMs: 300, onUnknownOutcomeResend: () => resends++ })
          .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn11:0' });
        expect(Date.now() - started).toBeGreaterThanOrEqual(400);
        expect(result).toEqual({ messageId: t.fake.sent[0]!.messageId, skipped: false });
        expect(t.fake.sent).toHaveLength(1);
        expect(resends).toBe(1);
        expect(t.logs.join('')).toContain(LogEvent.UnknownOutcomeResend);
      });

      it('makes a displaced sender stand down instead of sending a second copy', async () => {
        // A worker that lost its turn (a zombie) still holds its claim when the retry takes it over.
        // The retry's first request times out (200 ms) long before the fake would accept it, so it never reaches "Meta".
        t.fake.setLatency(1_000, { requests: 1 });
        const zombie = crashed();
        await deadSender(zombie, 'turn12:0', 'zombie', false);
        await new Promise((r) => setTimeout(r, 250));
        const retry = await t
          .client({ timeoutMs: 200, statusWaitMs: 200 })
          .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn12:0' });
        expect(await zombie.begin(PN, 'turn12:0', 'zombie')).toBe(false);
        expect(retry.skipped).toBe(false);
        expect(t.fake.sent).toHaveLength(1);
      });
    });

    it('makes a sender that stalled between its start and its request stand down once another took the message over', async () => {
      const c = t.client({ timeoutMs: 200, statusWaitMs: 0 });
      await c.send(ANA, { kind: 'text', body: 'warm-up' }, { idempotencyKey: 'warm:0' });
      t.fake.reset();
      // The start's answer reaches the sender only after a stall longer than the
      // grace (200 ms); meanwhile a retry of its turn takes the message over.
      const evalsha = t.redis.evalsha.bind(t.redis) as (...args: unknown[]) => Promise<unknown>;
      let stalled = false;
      (t.redis as unknown as { evalsha: unknown }).evalsha = async (...args: unknown[]) => {
        const reply = await evalsha(...args);
        if (!stalled) {
          stalled = true;
          await new Promise((r) => setTimeout(r, 300));
          const retry = await new SendLedger(t.redis, t.keyPrefix, 60_000).start(
            PN,
            'turn13:0',
            'retry',
            new SendLimiter({ redis: t.redis, keyPrefix: t.keyPrefix, perSecond: 1000 }).pacing(PN, ANA.waId),
            { unknownGraceMs: 200, takeoverMs: 200, beginWithinMs: 60_000 },
            true,
          );
          expect(retry).toMatchObject({ state: 'slot', from: 'unknown' });
        }
        return reply;
      };
      expect(await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn13:0' })).toEqual({ messageId: null, skipped: true });
      expect(t.fake.requests).toHaveLength(0);
    });

    it('does not wait for the record of a sent message; one Redis refused is logged and counted, and the status webhook still stops a resend', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      // A Redis that refuses the marker's final SET (e.g. out of memory) and runs every script.
      const refusing = new Proxy(t.redis, {
        get(target, prop) {
          if (prop === 'set') return () => Promise.reject(new Error('OOM command not allowed when used memory > maxmemory'));
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      let notRecorded = 0;
      const first = await t
        .client({ redis: refusing, onSentNotRecorded: () => notRecorded++ })
        .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn14:0' });
      expect(first).toEqual({ messageId: t.fake.sent[0]!.messageId, skipped: false });
      // The refusal is handled once the microtasks after the send ran.
      await new Promise((r) => setImmediate(r));
      expect(notRecorded).toBe(1);
      expect(t.logs.join('')).toContain('could not record completed send');
      process.off('unhandledRejection', onUnhandled);
      expect(unhandled).toEqual([]);

      // The reply's "sent" status settles the marker, as for a sender that died before its SET.
      await sentStatus(t, first.messageId!, 'turn14:0');
      const retry = await t
        .client({ timeoutMs: 200, statusWaitMs: 200 })
        .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'turn14:0' });
      expect(retry).toEqual({ messageId: first.messageId, skipped: true });
      expect(t.fake.sent).toHaveLength(1);
    });

    it('can send again after a definite rejection released the claim', async () => {
      t.fake.failNext(1, { status: 400, code: 100 });
      const c = t.client();
      await expect(c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' })).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' })).resolves.toMatchObject({ skipped: false });
      expect(t.fake.sent).toHaveLength(1);
    });
  });
});
