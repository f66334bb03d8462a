/** The terminal chat (docs/product.md, "Development without WhatsApp") shows buttons/lists as numbered options and answers them with `/n`. */
import { parseChatLine, renderReply } from '../../tools/chat/chat-render.js';
import { parseDotEnv } from '../../tools/stack/env-file.js';

const buttons = {
  type: 'interactive',
  messageId: 'wamid.out-1',
  payload: {
    messaging_product: 'whatsapp',
    to: '59170000001',
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text: '¿Confirmas la cita?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'confirm:yes', title: 'Sí' } },
          { type: 'reply', reply: { id: 'confirm:no', title: 'No' } },
        ],
      },
    },
  },
};

const list = {
  type: 'interactive',
  messageId: 'wamid.out-2',
  payload: {
    messaging_product: 'whatsapp',
    to: '59170000001',
    type: 'interactive',
    interactive: {
      type: 'list',
      header: { type: 'text', text: 'Cardiología' },
      body: { text: 'Horarios libres:' },
      footer: { text: 'Escribe "más" para ver otros' },
      action: {
        button: 'Ver horarios',
        sections: [
          { title: 'Lunes', rows: [{ id: 'slot:1', title: '09:00', description: 'Dra. Pérez' }] },
          { title: 'Martes', rows: [{ id: 'slot:2', title: '10:30' }] },
        ],
      },
    },
  },
};

describe('renderReply', () => {
  it('renders a text reply line by line', () => {
    const r = renderReply({ type: 'text', messageId: 'm', payload: { text: { body: 'hola\nmundo' } } });
    expect(r.lines).toEqual(['hola', 'mundo']);
    expect(r.options).toBeUndefined();
  });

  it('renders a location pin with the clinic name and address', () => {
    const r = renderReply({
      type: 'location',
      messageId: 'm',
      payload: { location: { latitude: -16.51, longitude: -68.12, name: 'Clínica Illimani', address: 'Av. 6 de Agosto 2450' } },
    });
    expect(r.lines).toEqual(['📍 Clínica Illimani · Av. 6 de Agosto 2450 (ubicación -16.51, -68.12)']);
  });

  it('renders reply buttons as numbered options on one line', () => {
    const r = renderReply(buttons);
    expect(r.lines).toEqual(['¿Confirmas la cita?', '[1] Sí  [2] No']);
    expect(r.options?.map((o) => o.id)).toEqual(['confirm:yes', 'confirm:no']);
  });

  it('numbers list rows across sections, with descriptions, header and footer', () => {
    const r = renderReply(list);
    expect(r.lines).toEqual([
      '*Cardiología*',
      'Horarios libres:',
      '(Ver horarios)',
      '  Lunes',
      '  [1] 09:00 — Dra. Pérez',
      '  Martes',
      '  [2] 10:30',
      '_Escribe "más" para ver otros_',
    ]);
  });
});

describe('parseChatLine', () => {
  it('sends plain lines as text messages', () => {
    expect(parseChatLine('  quiero una cita ', undefined)).toMatchObject({
      action: 'send',
      content: { type: 'text', text: { body: 'quiero una cita' } },
    });
  });

  it('maps /2 on buttons to a button_reply quoting the bot message', () => {
    expect(parseChatLine('/2', renderReply(buttons))).toMatchObject({
      action: 'send',
      contextId: 'wamid.out-1',
      content: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'confirm:no', title: 'No' } } },
    });
  });

  it('maps /1 on a list to a list_reply with the row description', () => {
    expect(parseChatLine('/1', renderReply(list))).toMatchObject({
      action: 'send',
      content: { interactive: { type: 'list_reply', list_reply: { id: 'slot:1', title: '09:00', description: 'Dra. Pérez' } } },
    });
  });

  it('refuses an option number that was not offered', () => {
    expect(parseChatLine('/3', renderReply(buttons))).toEqual({ action: 'error', message: 'choose between /1 and /2' });
    expect(parseChatLine('/1', undefined).action).toBe('error');
  });

  it('knows /image, /quit, /help and ignores empty lines', () => {
    expect(parseChatLine('/image receta', undefined)).toMatchObject({
      action: 'send',
      content: { type: 'image', image: { caption: 'receta' } },
    });
    expect(parseChatLine('/quit', undefined)).toEqual({ action: 'quit' });
    expect(parseChatLine('/help', undefined)).toEqual({ action: 'help' });
    expect(parseChatLine('   ', undefined)).toEqual({ action: 'none' });
  });
});

describe('parseDotEnv', () => {
  it('reads KEY=value lines with comments, export and quotes', () => {
    expect(parseDotEnv('# c\nexport A=1\nB="two words"\nC=\'x#y\'\nD=plain # note\nbad line\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x#y',
      D: 'plain',
    });
  });
});
