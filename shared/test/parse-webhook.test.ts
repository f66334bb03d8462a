import { NotAWebhookError, parseWebhook, type InboundMessageEvent, type StatusEvent } from '@medcita/shared';
import { accountUpdateBody, content, DEFAULT_BUSINESS, inbound, simUser, statusUpdate, webhookBody } from '@medcita/testkit/simulator';

const BIZ = DEFAULT_BUSINESS.phoneNumberId;

describe(parseWebhook.name, () => {
  describe('when the body is not a WhatsApp webhook', () => {
    it.each([
      ['an array', []],
      ['null', null],
      ['another object type', { object: 'page', entry: [] }],
      ['entry not an array', { object: 'whatsapp_business_account', entry: {} }],
    ])('rejects %s', (_what, body) => {
      expect(() => parseWebhook(body)).toThrow(NotAWebhookError);
    });
  });

  describe('when it carries messages', () => {
    const user = simUser(1, { name: 'Ana' });

    it('normalizes each message type the dialog relies on', () => {
      const items = [
        inbound(user, content.text('hola')),
        inbound(user, content.buttonReply('confirm', 'Sí')),
        inbound(user, content.listReply('slot:42', 'Jue 26 08:30')),
        inbound(user, content.templateButton('cancel:apt-1', 'Cancelar')),
        inbound(user, content.image({ caption: 'mi receta' })),
        inbound(user, content.sticker()),
        inbound(user, { type: 'hologram', hologram: {} }),
      ];
      const { events } = parseWebhook(webhookBody(items, { group: 'value' }));
      const messages = (events as InboundMessageEvent[]).map((e) => e.message);
      expect(messages.map((m) => [m.kind, m.text, m.replyId])).toEqual([
        ['text', 'hola', undefined],
        ['interactive', 'Sí', 'confirm'],
        ['interactive', 'Jue 26 08:30', 'slot:42'],
        ['button', 'Cancelar', 'cancel:apt-1'],
        ['image', 'mi receta', undefined],
        ['sticker', undefined, undefined],
        ['unknown', undefined, undefined],
      ]);
      expect(messages[6]!.rawType).toBe('hologram');
      expect(messages.every((m) => m.profileName === 'Ana')).toBe(true);
      expect(messages.map((m) => m.wamid)).toEqual(items.map((i) => i.message.id));
    });

    it('keys the session by business number and wa_id', () => {
      const { events } = parseWebhook(webhookBody([inbound(user, content.text('x'))]));
      expect(events[0]).toMatchObject({ sessionKey: `${BIZ}:${user.waId}`, address: { phoneNumberId: BIZ, waId: user.waId } });
    });

    it('prefers the business-scoped user id, and works without a phone', () => {
      const withBoth = simUser(2, { withUserId: true });
      const phoneless = simUser(3, { phoneless: true });
      const { events } = parseWebhook(webhookBody([inbound(withBoth, content.text('a')), inbound(phoneless, content.text('b'))]));
      expect((events as InboundMessageEvent[]).map((e) => e.sessionKey)).toEqual([
        `${BIZ}:${withBoth.userId}`,
        `${BIZ}:${phoneless.userId}`,
      ]);
      expect((events[1] as InboundMessageEvent).address.waId).toBeUndefined();
    });

    it('keeps body order across entries and skips items missing what it relies on', () => {
      const a = inbound(simUser(4), content.text('1'));
      const b = inbound(simUser(5), content.text('2'));
      const body = webhookBody([a, b]);
      const broken = JSON.parse(JSON.stringify(webhookBody([inbound(simUser(6), content.text('3'))])));
      delete broken.entry[0].changes[0].value.messages[0].id;
      body.entry!.push(broken.entry[0]);
      const parsed = parseWebhook(body);
      expect((parsed.events as InboundMessageEvent[]).map((e) => e.message.text)).toEqual(['1', '2']);
      expect(parsed.malformed).toBe(1);
    });
  });

  describe('when it carries statuses or other fields', () => {
    it('turns statuses into status events with their error codes', () => {
      const user = simUser(1);
      const { events } = parseWebhook(
        webhookBody([statusUpdate(user, 'wamid.out1', 'delivered'), statusUpdate(user, 'wamid.out2', 'failed', { errorCode: 131047 })]),
      );
      expect(events as StatusEvent[]).toMatchObject([
        { type: 'status', status: 'delivered', messageId: 'wamid.out1', errors: [] },
        { type: 'status', status: 'failed', messageId: 'wamid.out2', errors: [{ code: 131047 }] },
      ]);
    });

    it('keeps the biz_opaque_callback_data we sent, and drops one longer than Meta allows', () => {
      const user = simUser(1);
      const { events } = parseWebhook(
        webhookBody([
          statusUpdate(user, 'wamid.out1', 'sent', { callbackData: 'wamid.in1:0' }),
          statusUpdate(user, 'wamid.out2', 'sent', { callbackData: 'x'.repeat(513) }),
        ]),
      );
      expect((events as StatusEvent[]).map((e) => e.callbackData)).toEqual(['wamid.in1:0', undefined]);
    });

    it('ignores other webhook fields politely', () => {
      const parsed = parseWebhook(accountUpdateBody());
      expect(parsed.events).toEqual([]);
      expect(parsed.ignoredChanges).toBe(1);
    });
  });
});
