import { checkSendPayload } from '@medcita/testkit/simulator';
import { buildReadPayload, buildSendPayload, graphAddress } from '../../src/whatsapp/index.js';

const to = { to: '573001234567' };

describe(buildSendPayload.name, () => {
  it('truncates over-long visible texts with an ellipsis, counting characters not bytes', () => {
    const payload = buildSendPayload(to, {
      kind: 'buttons',
      body: 'ok',
      buttons: [
        { id: 'b1', title: 'Confirmar la cita médica ahora' },
        { id: 'b2', title: '🙂'.repeat(20) },
      ],
    });
    const buttons = (payload.interactive as { action: { buttons: { reply: { title: string } }[] } }).action.buttons;
    expect(buttons[0]!.reply.title).toBe('Confirmar la cita m…');
    expect([...buttons[0]!.reply.title]).toHaveLength(20);
    expect(buttons[1]!.reply.title).toBe('🙂'.repeat(20));
  });

  it('throws before sending on structural mistakes', () => {
    const row = (i: number) => ({ id: `slot-${i}`, title: `Opción ${i}` });
    const list = (rows: number) => ({
      kind: 'list' as const,
      body: 'Elige',
      buttonText: 'Ver',
      sections: [{ rows: Array.from({ length: rows }, (_, i) => row(i)) }],
    });
    expect(() => buildSendPayload(to, list(11))).toThrow(/rows must be 1-10/);
    expect(() => buildSendPayload(to, list(0))).toThrow(/rows/);
    expect(() =>
      buildSendPayload(to, { kind: 'buttons', body: 'x', buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: 'x' })) }),
    ).toThrow(/1-3/);
    expect(() =>
      buildSendPayload(to, {
        kind: 'buttons',
        body: 'x',
        buttons: [
          { id: 'a', title: 'x' },
          { id: 'a', title: 'y' },
        ],
      }),
    ).toThrow(/unique/);
    expect(() => buildSendPayload(to, { ...list(1), sections: [{ rows: [{ id: 'x'.repeat(201), title: 't' }] }] })).toThrow(/row id/);
    expect(() => buildSendPayload(to, { kind: 'text', body: '  ' })).toThrow(/empty/);
    expect(() => buildSendPayload(to, { ...list(2), sections: [{ rows: [row(1)] }, { rows: [row(2)] }] })).toThrow(/title/);
  });

  it('sends a location pin that the fake Graph API accepts, and refuses coordinates off the map', () => {
    const payload = buildSendPayload(to, {
      kind: 'location',
      latitude: -16.51,
      longitude: -68.12,
      name: 'Clínica Illimani',
      address: 'Av. 6 de Agosto 2450',
    });
    expect(payload).toMatchObject({ type: 'location', location: { latitude: -16.51, longitude: -68.12, name: 'Clínica Illimani' } });
    expect(checkSendPayload(payload)).toBeNull();
    expect(checkSendPayload({ ...payload, location: { latitude: 91, longitude: 0 } })).toMatch(/latitude/);
    expect(() => buildSendPayload(to, { kind: 'location', latitude: 0, longitude: 200 })).toThrow(/range/);
  });

  it('flattens newlines in template parameters, which Meta rejects', () => {
    const payload = buildSendPayload(to, {
      kind: 'template',
      name: 'recordatorio',
      language: 'es',
      bodyParams: ['Dra. Gómez\nCardiología'],
    });
    expect(payload.template).toEqual({
      name: 'recordatorio',
      language: { code: 'es' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Dra. Gómez Cardiología' }] }],
    });
  });
});

describe(graphAddress.name, () => {
  it('prefers the phone and falls back to the BSUID as recipient', () => {
    expect(graphAddress({ waId: '573001234567', userId: 'CO.1' })).toEqual({ to: '573001234567' });
    expect(graphAddress({ userId: 'CO.1' })).toEqual({ recipient: 'CO.1' });
    expect(() => graphAddress({})).toThrow();
  });
});

describe(buildReadPayload.name, () => {
  it('adds the typing indicator only when asked', () => {
    expect(buildReadPayload('wamid.A', true)).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.A',
      typing_indicator: { type: 'text' },
    });
    expect(buildReadPayload('wamid.A', false)).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.A' });
  });
});
