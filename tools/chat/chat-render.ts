import { content, type InboundContent, type SentRecord } from '@medcita/testkit/simulator';

/** A tappable choice of the bot's last interactive message, numbered from 1. */
export interface ChatOption {
  kind: 'button' | 'list';
  id: string;
  title: string;
  description?: string;
}

export interface RenderedReply {
  lines: string[];
  /** Present when the message offers buttons or list rows; `/n` picks `options[n-1]`. */
  options?: ChatOption[];
  /** The bot message's wamid, quoted as `context` by an interactive answer. */
  messageId: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Turns one send recorded by the fake Graph API into what a WhatsApp user would see. */
export function renderReply(record: Pick<SentRecord, 'type' | 'payload' | 'messageId'>): RenderedReply {
  const p = record.payload;
  const base = { messageId: record.messageId };
  if (record.type === 'text') return { ...base, lines: (str(obj(p.text).body) ?? '').split('\n') };
  if (record.type === 'interactive') {
    const i = obj(p.interactive);
    const lines: string[] = [];
    const header = str(obj(i.header).text);
    if (header) lines.push(`*${header}*`);
    lines.push(...(str(obj(i.body).text) ?? '').split('\n'));
    const footer = str(obj(i.footer).text);
    const action = obj(i.action);
    let options: ChatOption[] = [];
    if (i.type === 'button') {
      options = (Array.isArray(action.buttons) ? action.buttons : []).map((b) => {
        const reply = obj(obj(b).reply);
        return { kind: 'button' as const, id: str(reply.id) ?? '', title: str(reply.title) ?? '' };
      });
      lines.push(options.map((o, n) => `[${n + 1}] ${o.title}`).join('  '));
    } else if (i.type === 'list') {
      const sections = Array.isArray(action.sections) ? action.sections.map(obj) : [];
      lines.push(`(${str(action.button) ?? 'Ver opciones'})`);
      for (const section of sections) {
        const title = str(section.title);
        if (title) lines.push(`  ${title}`);
        for (const row of (Array.isArray(section.rows) ? section.rows : []).map(obj)) {
          const option: ChatOption = { kind: 'list', id: str(row.id) ?? '', title: str(row.title) ?? '' };
          const description = str(row.description);
          if (description) option.description = description;
          options.push(option);
          lines.push(`  [${options.length}] ${option.title}${description ? ` — ${description}` : ''}`);
        }
      }
    } else {
      lines.push(`(interactive ${String(i.type)}: ${JSON.stringify(action)})`);
    }
    if (footer) lines.push(`_${footer}_`);
    return { ...base, lines, ...(options.length > 0 ? { options } : {}) };
  }
  if (record.type === 'template') {
    const t = obj(p.template);
    const params = (Array.isArray(t.components) ? t.components.map(obj) : [])
      .filter((c) => c.type === 'body')
      .flatMap((c) => (Array.isArray(c.parameters) ? c.parameters.map((x) => str(obj(x).text) ?? '') : []));
    return { ...base, lines: [`[plantilla ${str(t.name) ?? '?'}] ${params.join(' | ')}`] };
  }
  if (record.type === 'location') {
    const l = obj(p.location);
    const where = [str(l.name), str(l.address)].filter(Boolean).join(' · ');
    return { ...base, lines: [`📍 ${where} (ubicación ${String(l.latitude)}, ${String(l.longitude)})`] };
  }
  return { ...base, lines: [`(${record.type}) ${JSON.stringify(p[record.type] ?? p)}`] };
}

/** What a typed line asks the chat to do. */
export type ChatCommand =
  | { action: 'send'; content: InboundContent; contextId?: string; echo: string }
  | { action: 'quit' }
  | { action: 'help' }
  | { action: 'none' }
  | { action: 'error'; message: string };

export const CHAT_HELP = [
  'Write as the patient and press Enter. Commands:',
  "  /1, /2 …       answer the bot's last buttons or list with that option",
  '  /image [text]  send a photo (with an optional caption)',
  '  /help          this help',
  '  /quit          leave (Ctrl-D too)',
].join('\n');

/** Maps a typed line to a command; `/n` needs the last rendered reply that had options. */
export function parseChatLine(line: string, last: RenderedReply | undefined): ChatCommand {
  const text = line.trim();
  if (text === '') return { action: 'none' };
  if (!text.startsWith('/')) return { action: 'send', content: content.text(text), echo: text };
  const [command = '', ...rest] = text.slice(1).split(/\s+/);
  if (command === 'quit' || command === 'exit' || command === 'q') return { action: 'quit' };
  if (command === 'help' || command === '?') return { action: 'help' };
  if (command === 'image') {
    const caption = rest.join(' ');
    return { action: 'send', content: content.image(caption ? { caption } : {}), echo: `[imagen]${caption ? ` ${caption}` : ''}` };
  }
  if (/^\d+$/.test(command)) {
    const options = last?.options;
    if (!options) return { action: 'error', message: 'the bot has not offered buttons or a list to choose from' };
    const option = options[Number(command) - 1];
    if (!option) return { action: 'error', message: `choose between /1 and /${options.length}` };
    const reply =
      option.kind === 'button'
        ? content.buttonReply(option.id, option.title)
        : content.listReply(option.id, option.title, option.description);
    return { action: 'send', content: reply, contextId: last.messageId, echo: `[${option.title}]` };
  }
  return { action: 'error', message: `unknown command /${command} (try /help)` };
}
