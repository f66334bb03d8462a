// GraphClient's requests: the Graph JSON of each kind of message, BSUID addressing, read receipts.
import { PN, setup } from './helpers.js';

const ANA = { phoneNumberId: PN, waId: '573001112233' };

describe('GraphClient', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => (t = await setup()));
  afterEach(() => t.teardown());

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
});
