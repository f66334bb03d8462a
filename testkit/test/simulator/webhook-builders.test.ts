import {
  accountUpdateBody,
  content,
  DEFAULT_BUSINESS,
  inbound,
  makeWamid,
  simUser,
  statusUpdate,
  templateStatusBody,
  webhookBody,
  type InboundContent,
} from '@medcita/testkit/simulator';

const user = simUser(12, { name: 'Ana' });

function onlyValue(body: ReturnType<typeof webhookBody>) {
  expect(body.object).toBe('whatsapp_business_account');
  expect(body.entry).toHaveLength(1);
  const change = body.entry![0]!.changes![0]!;
  expect(change.field).toBe('messages');
  return change.value!;
}

describe('inbound message builders', () => {
  const cases: [string, InboundContent, Record<string, unknown>][] = [
    ['text', content.text('hola'), { text: { body: 'hola' } }],
    [
      'interactive',
      content.buttonReply('confirm', 'Confirmar'),
      { interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Confirmar' } } },
    ],
    [
      'interactive',
      content.listReply('slot-3', 'Lun 10:00', 'Dra. Gómez'),
      { interactive: { type: 'list_reply', list_reply: { id: 'slot-3', title: 'Lun 10:00', description: 'Dra. Gómez' } } },
    ],
    ['button', content.templateButton('CONFIRM_APPT', 'Confirmo'), { button: { payload: 'CONFIRM_APPT', text: 'Confirmo' } }],
    [
      'image',
      content.image({ caption: 'mi orden' }),
      { image: expect.objectContaining({ mime_type: 'image/jpeg', caption: 'mi orden', id: expect.any(String) }) },
    ],
    ['audio', content.audio(), { audio: expect.objectContaining({ voice: true, id: expect.any(String) }) }],
    ['video', content.video(), { video: expect.objectContaining({ mime_type: 'video/mp4' }) }],
    ['document', content.document({ filename: 'examen.pdf' }), { document: expect.objectContaining({ filename: 'examen.pdf' }) }],
    ['sticker', content.sticker(), { sticker: expect.objectContaining({ mime_type: 'image/webp' }) }],
    ['location', content.location(4.6, -74.08, { name: 'Clínica' }), { location: { latitude: 4.6, longitude: -74.08, name: 'Clínica' } }],
    [
      'contacts',
      content.contacts([{ name: 'Luis Pérez', phone: '+57 300 1234567' }]),
      { contacts: [expect.objectContaining({ phones: [expect.objectContaining({ wa_id: '573001234567' })] })] },
    ],
    ['reaction', content.reaction('wamid.X', '👍'), { reaction: { message_id: 'wamid.X', emoji: '👍' } }],
    ['unsupported', content.unsupported(), { errors: [expect.objectContaining({ code: 131051 })] }],
    [
      'system',
      content.system('User changed number', { newWaId: '573009999999' }),
      { system: { body: 'User changed number', type: 'user_changed_number', wa_id: '573009999999' } },
    ],
  ];

  it.each(cases)('builds a Meta-shaped %s message', (type, body, expected) => {
    const value = onlyValue(webhookBody([inbound(user, body, { timestamp: 1_750_000_000 })]));
    expect(value.messaging_product).toBe('whatsapp');
    expect(value.metadata).toEqual({
      display_phone_number: DEFAULT_BUSINESS.displayPhoneNumber,
      phone_number_id: DEFAULT_BUSINESS.phoneNumberId,
    });
    expect(value.contacts).toEqual([{ profile: { name: 'Ana' }, wa_id: user.waId }]);
    expect(value.messages![0]).toEqual({
      from: user.waId,
      id: expect.stringMatching(/^wamid\./),
      timestamp: '1750000000',
      type,
      ...expected,
    });
  });

  it('addresses a phoneless user by BSUID in contacts and messages', () => {
    const hidden = simUser(5, { phoneless: true });
    const value = onlyValue(webhookBody([inbound(hidden, content.text('hola'))]));
    expect(value.contacts![0]).toEqual({ profile: { name: 'Paciente 5' }, user_id: hidden.userId });
    expect(value.messages![0]!.from).toBeUndefined();
    expect(value.messages![0]!.from_user_id).toBe(hidden.userId);
  });

  it('quotes the replied-to message in context', () => {
    const value = onlyValue(webhookBody([inbound(user, content.text('esa'), { contextId: 'wamid.OUT' })]));
    expect(value.messages![0]!.context?.id).toBe('wamid.OUT');
  });
});

describe('status builders', () => {
  it('builds delivered and failed statuses with errors', () => {
    const delivered = onlyValue(webhookBody([statusUpdate(user, 'wamid.OUT', 'delivered')])).statuses![0]!;
    expect(delivered).toMatchObject({ id: 'wamid.OUT', status: 'delivered', recipient_id: user.waId });
    const failed = onlyValue(webhookBody([statusUpdate(user, 'wamid.OUT', 'failed', { errorCode: 131026 })])).statuses![0]!;
    expect(failed.errors).toEqual([expect.objectContaining({ code: 131026, title: 'Message undeliverable' })]);
  });
});

describe(webhookBody.name, () => {
  const other = simUser(13);
  const items = [inbound(user, content.text('uno')), inbound(other, content.text('dos')), statusUpdate(user, 'wamid.O', 'read')];

  it('puts each item in its own entry by default, preserving order', () => {
    const body = webhookBody(items);
    expect(body.entry).toHaveLength(3);
    expect(body.entry!.map((e) => e.changes![0]!.value!.messages?.[0]?.text?.body ?? 'status')).toEqual(['uno', 'dos', 'status']);
  });

  it('can merge items of one number into one value with several messages and contacts', () => {
    const value = onlyValue(webhookBody(items, { group: 'value' }));
    expect(value.messages!.map((m) => m.text?.body)).toEqual(['uno', 'dos']);
    expect(value.contacts!.map((c) => c.wa_id)).toEqual([user.waId, other.waId]);
    expect(value.statuses).toHaveLength(1);
  });

  it('builds other fields the ingress must ignore', () => {
    expect(accountUpdateBody().entry![0]!.changes![0]!.field).toBe('account_update');
    expect(templateStatusBody('recordatorio_cita', 'APPROVED').entry![0]!.changes![0]!.field).toBe('message_template_status_update');
  });
});

describe(makeWamid.name, () => {
  it('makes unique ids that decode like real ones', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => makeWamid({ user: '573001234567' })));
    expect(ids.size).toBe(1000);
    const decoded = Buffer.from([...ids][0]!.slice('wamid.'.length), 'base64').toString('latin1');
    expect(decoded).toContain('573001234567');
  });
});
