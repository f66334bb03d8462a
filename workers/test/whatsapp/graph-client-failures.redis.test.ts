// GraphClient against a failing Graph API: what it retries, what it gives up on, and that a retry never sends twice.
import { LogEvent, UnrecoverableError } from '@medcita/shared';
import { GraphSendError } from '../../src/whatsapp/index.js';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { PN, sentStatus, setup, TOKEN } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '573001112233' };

describe('GraphClient', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (t = await setup()));
  afterEach(() => t.teardown());

  describe('when the Graph API fails', () => {
    it.each([429, 500, 503])('retries %i twice and sends exactly once', async (status) => {
      t.fake.failNext(2, { status });
      await t.client().send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' });
      expect(t.fake.sent).toHaveLength(1);
      expect(t.events.map((e) => e.status)).toEqual([status, status, 200]);
    });

    it('does not retry a 400, throws UnrecoverableError with the Graph code and logs it without the token', async () => {
      t.fake.failNext(1, { status: 400, code: 131047 });
      const err = await t
        .client()
        .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnrecoverableError);
      expect((err as UnrecoverableError).code).toBe('131047');
      expect(t.fake.requests).toHaveLength(1);
      const logged = t.logs.join('');
      expect(logged).toContain('"graphCode":131047');
      expect(logged).not.toContain(TOKEN);
      expect(logged).not.toContain(ANA.waId);
    });

    it('refuses a list with 11 rows before calling Meta', async () => {
      const rows = Array.from({ length: 11 }, (_, i) => ({ id: `slot-${i}`, title: `Opción ${i}` }));
      const err = await t
        .client()
        .send(ANA, { kind: 'list', body: 'Elige', buttonText: 'Ver', sections: [{ rows }] }, { idempotencyKey: 'k' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnrecoverableError);
      expect((err as UnrecoverableError).code).toBe('OUTBOUND_MESSAGE_INVALID');
      expect(t.fake.requests).toHaveLength(0);
    });

    it('rejects a bad token without retrying', async () => {
      const err = await t
        .client({ accessToken: 'expired' })
        .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' })
        .catch((e: unknown) => e);
      expect((err as UnrecoverableError).code).toBe('190');
      expect(t.fake.requests).toHaveLength(1);
    });

    it('retries after a timeout, once no status came within the grace, and the message arrives once', async () => {
      // Far past the client's timeout: the fake runs in this process, so a busy event loop can fire both timers in one tick.
      t.fake.setLatency(1_500, { requests: 1 });
      let resends = 0;
      await t
        .client({ timeoutMs: 200, statusWaitMs: 300, onUnknownOutcomeResend: () => resends++ })
        .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' });
      expect(t.fake.sent).toHaveLength(1);
      expect(t.events.map((e) => e.status)).toEqual([0, 200]);
      expect(resends).toBe(1);
    });

    it('does not resend a message WhatsApp accepted but answered after the timeout: its late status settles it', async () => {
      t.fake.answerLateNext(1, { answerAfterMs: 3_000 });
      // The ingress's part: WhatsApp's "sent" status, echoing the key, arrives well after the client gave up.
      t.fake.once('sent', (r: { messageId: string }) => {
        setTimeout(() => {
          void sentStatus(t, r.messageId, 'late:0');
        }, 600);
      });
      const result = await t
        .client({ timeoutMs: 200, statusWaitMs: 5_000 })
        .send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'late:0' });
      expect(t.fake.sent).toHaveLength(1);
      expect(result).toEqual({ messageId: t.fake.sent[0]!.messageId, skipped: false });
      expect(t.logs.join('')).not.toContain(LogEvent.UnknownOutcomeResend);
    });

    it('retries at once when the connection was refused: nothing can have reached WhatsApp', async () => {
      const closed = await FakeGraphApi.start({ accessToken: TOKEN });
      await closed.close();
      const refused = t.client({ baseUrl: closed.url, maxAttempts: 1, timeoutMs: 200, statusWaitMs: 300 });
      await expect(refused.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'refused:0' })).rejects.toBeInstanceOf(
        GraphSendError,
      );
      // The claim was handed back, so the job's retry sends at once, as a first send.
      await t.client({ timeoutMs: 200, statusWaitMs: 300 }).send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'refused:0' });
      expect(t.fake.sent).toHaveLength(1);
      expect(t.logs.join('')).not.toContain('unknown outcome');
    });

    it('gives up after maxAttempts with a retryable error and lets a later job retry send it', async () => {
      t.fake.failNext(3, { status: 500 });
      const c = t.client({ maxAttempts: 3 });
      await expect(c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' })).rejects.toBeInstanceOf(GraphSendError);
      expect(t.fake.sent).toHaveLength(0);
      await c.send(ANA, { kind: 'text', body: 'hola' }, { idempotencyKey: 'k' });
      expect(t.fake.sent).toHaveLength(1);
    });
  });
});
