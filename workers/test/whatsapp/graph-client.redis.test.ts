import { LogEvent, confirmSendsFromStatuses, UnrecoverableError } from '@medcita/shared';
import { GraphSendError, SendLedger, SendLimiter } from '../../src/whatsapp/index.js';
import { FakeGraphApi } from '@medcita/testkit/simulator';
import { PN, setup, TOKEN } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '573001112233' };

describe('GraphClient', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (t = await setup()));
  afterEach(() => t.teardown());
  /** What the ingress does with WhatsApp's "sent" status for `messageId`, echoing the idempotency key. */
  const sentStatus = (messageId: string, callbackData: string) =>
    confirmSendsFromStatuses(t.redis, t.keyPrefix, [
      { type: 'status', phoneNumberId: PN, messageId, status: 'sent', timestamp: 0, callbackData, errors: [] },
    ]);

  describe('when sending each kind of message', () => {
    it('sends exactly the Graph JSON for text, buttons, list and template', async () => {
      const c = t.client();
      await c.send(ANA, { kind: 'text', body: 'Hola Ana' }, { idempotencyKey: 'turn1:0' });
      await c.send(
        ANA,
        {
          kind: 'buttons',
          body: '¿Confirmas?',
          header: 'Cita',
          footer: 'Clínica',
          buttons: [
            { id: 'yes', title: 'Sí' },
            { id: 'no', title: 'No' },
          ],
        },
        { idempotencyKey: 'turn1:1' },
      );
      await c.send(
        ANA,
        {
          kind: 'list',
          body: 'Horarios libres',
          buttonText: 'Ver horarios',
          sections: [
            {
              title: 'Lunes',
              rows: [
                { id: 'slot-1', title: '10:00', description: 'Dra. Gómez' },
                { id: 'slot-2', title: '11:00' },
              ],
            },
          ],
        },
        { idempotencyKey: 'turn1:2' },
      );
      await c.send(
        ANA,
        {
          kind: 'template',
          name: 'recordatorio_cita',
          language: 'es',
          bodyParams: ['Ana', 'lunes 10:00'],
          quickReplyPayloads: ['CONFIRM', 'CANCEL'],
        },
        { idempotencyKey: 'rem1:0' },
      );

      // Each carries its idempotency key as biz_opaque_callback_data: WhatsApp
      // echoes it in the status webhooks that settle a send after a crash.
      const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: ANA.waId };
      expect(t.fake.sent.map((s) => s.payload)).toEqual([
        { ...base, biz_opaque_callback_data: 'turn1:0', type: 'text', text: { preview_url: false, body: 'Hola Ana' } },
        {
          ...base,
          biz_opaque_callback_data: 'turn1:1',
          type: 'interactive',
          interactive: {
            type: 'button',
            header: { type: 'text', text: 'Cita' },
            body: { text: '¿Confirmas?' },
            footer: { text: 'Clínica' },
            action: {
              buttons: [
                { type: 'reply', reply: { id: 'yes', title: 'Sí' } },
                { type: 'reply', reply: { id: 'no', title: 'No' } },
              ],
            },
          },
        },
        {
          ...base,
          biz_opaque_callback_data: 'turn1:2',
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: 'Horarios libres' },
            action: {
              button: 'Ver horarios',
              sections: [
                {
                  title: 'Lunes',
                  rows: [
                    { id: 'slot-1', title: '10:00', description: 'Dra. Gómez' },
                    { id: 'slot-2', title: '11:00' },
                  ],
                },
              ],
            },
          },
        },
        {
          ...base,
          biz_opaque_callback_data: 'rem1:0',
          type: 'template',
          template: {
            name: 'recordatorio_cita',
            language: { code: 'es' },
            components: [
              {
                type: 'body',
                parameters: [
                  { type: 'text', text: 'Ana' },
                  { type: 'text', text: 'lunes 10:00' },
                ],
              },
              { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'CONFIRM' }] },
              { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'CANCEL' }] },
            ],
          },
        },
      ]);
    });

    it('addresses a phoneless user by BSUID and returns the Graph message id', async () => {
      const result = await t
        .client()
        .send({ phoneNumberId: PN, userId: 'CO.1234567890123456789' }, { kind: 'text', body: 'Hola' }, { idempotencyKey: 'k' });
      expect(t.fake.sent[0]!.payload).toMatchObject({ recipient: 'CO.1234567890123456789' });
      expect(t.fake.sent[0]!.payload).not.toHaveProperty('to');
      expect(result).toEqual({ messageId: t.fake.sent[0]!.messageId, skipped: false });
    });

    it('marks a message read with a typing indicator, and swallows failures', async () => {
      const c = t.client();
      await c.markRead(PN, 'wamid.IN1', { typing: true });
      expect(t.fake.reads).toEqual([expect.objectContaining({ messageId: 'wamid.IN1', typing: true })]);
      t.fake.failNext(1, { status: 500, endpoint: 'read' });
      await expect(c.markRead(PN, 'wamid.IN2', { typing: false })).resolves.toBeUndefined();
      expect(t.events.filter((e) => e.endpoint === 'read').map((e) => e.status)).toEqual([200, 500]);
    });
  });

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
          void sentStatus(r.messageId, 'late:0');
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
        await sentStatus('wamid.OUT10', 'turn10:0');
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
      await sentStatus(first.messageId!, 'turn14:0');
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
