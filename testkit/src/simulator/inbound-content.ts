import { randomBytes } from 'node:crypto';
import { metaErrorEntry } from './meta-errors.js';

/**
 * The type-specific part of an inbound message as Meta sends it (`type` plus
 * the matching object), without id/from/timestamp, which `inbound()` adds.
 */
export type InboundContent = { type: string } & Record<string, unknown>;

function mediaId(): string {
  return String(1_000_000_000_000_000n + BigInt('0x' + randomBytes(6).toString('hex')));
}

function sha256ish(): string {
  return randomBytes(32).toString('base64');
}

function media(kind: string, fields: Record<string, unknown>): InboundContent {
  const object: Record<string, unknown> = { id: mediaId(), sha256: sha256ish() };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) object[k] = v;
  return { type: kind, [kind]: object };
}

/** Builders for every inbound message type listed in docs/product.md ("WhatsApp Cloud API"). */
export const content = {
  text: (body: string): InboundContent => ({ type: 'text', text: { body } }),

  buttonReply: (id: string, title: string): InboundContent => ({
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id, title } },
  }),

  listReply: (id: string, title: string, description?: string): InboundContent => ({
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: description === undefined ? { id, title } : { id, title, description } },
  }),

  /** A tap on a template's quick-reply button (type `button`, not `interactive`). */
  templateButton: (payload: string, text: string): InboundContent => ({ type: 'button', button: { payload, text } }),

  image: (opts: { caption?: string } = {}): InboundContent => media('image', { mime_type: 'image/jpeg', caption: opts.caption }),

  audio: (opts: { voice?: boolean } = {}): InboundContent =>
    media('audio', { mime_type: 'audio/ogg; codecs=opus', voice: opts.voice ?? true }),

  video: (opts: { caption?: string } = {}): InboundContent => media('video', { mime_type: 'video/mp4', caption: opts.caption }),

  document: (opts: { filename?: string; caption?: string } = {}): InboundContent =>
    media('document', { mime_type: 'application/pdf', filename: opts.filename ?? 'orden_medica.pdf', caption: opts.caption }),

  sticker: (opts: { animated?: boolean } = {}): InboundContent =>
    media('sticker', { mime_type: 'image/webp', animated: opts.animated ?? false }),

  location: (latitude: number, longitude: number, opts: { name?: string; address?: string } = {}): InboundContent => ({
    type: 'location',
    location: { latitude, longitude, ...opts },
  }),

  contacts: (people: { name: string; phone: string }[]): InboundContent => ({
    type: 'contacts',
    contacts: people.map((p) => ({
      name: { formatted_name: p.name, first_name: p.name.split(' ')[0] ?? p.name },
      phones: [{ phone: p.phone, wa_id: p.phone.replace(/\D/g, ''), type: 'CELL' }],
    })),
  }),

  /** `emoji` empty string means the user removed their reaction, as Meta sends it. */
  reaction: (messageId: string, emoji: string): InboundContent => ({
    type: 'reaction',
    reaction: { message_id: messageId, emoji },
  }),

  /** What Meta sends for types the Cloud API cannot forward (polls, view-once…). */
  unsupported: (): InboundContent => ({ type: 'unsupported', errors: [metaErrorEntry(131051)] }),

  /** e.g. a user who changed numbers; `newWaId` is their new number. */
  system: (body: string, opts: { systemType?: string; newWaId?: string } = {}): InboundContent => ({
    type: 'system',
    system: {
      body,
      type: opts.systemType ?? 'user_changed_number',
      ...(opts.newWaId === undefined ? {} : { wa_id: opts.newWaId }),
    },
  }),
};
