import type { ButtonsMessage, ListMessage, LocationMessage, OutboundMessage, TemplateMessage } from '@medcita/shared';

/**
 * WhatsApp's limits, in characters (Unicode code points). Exceeding a
 * structural limit (counts, ids) is a programmer error and throws before
 * anything is sent; an over-long visible text is truncated with "…" because a
 * slightly shortened label beats a reply that never arrives.
 */
export const LIMITS = {
  textBody: 4096,
  buttonsBody: 1024,
  listBody: 4096,
  header: 60,
  footer: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButtonText: 20,
  sections: 10,
  rows: 10,
  sectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  quickReplies: 10,
  locationName: 1000,
  locationAddress: 1000,
} as const;

/**
 * How to address the user: `to` with the phone (wa_id) when we have it;
 * otherwise `recipient` with the business-scoped user id (BSUID), which the
 * Cloud API accepts since the 2026 usernames rollout (`to` wins when both are
 * present, so we never send both). Some sends (e.g. authentication
 * templates) cannot go to a BSUID; Meta answers 131062, which surfaces as an
 * UnrecoverableError.
 */
export type GraphAddress = { to: string } | { recipient: string };

export function graphAddress(recipient: { waId?: string; userId?: string }): GraphAddress {
  if (recipient.waId) return { to: recipient.waId };
  if (recipient.userId) return { recipient: recipient.userId };
  throw new Error('recipient needs waId or userId');
}

/** The Graph API JSON for one outbound message. Throws on structural violations. */
export function buildSendPayload(address: GraphAddress, message: OutboundMessage): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', ...address };
  switch (message.kind) {
    case 'text':
      return { ...base, type: 'text', text: { preview_url: false, body: visible(message.body, LIMITS.textBody, 'text body') } };
    case 'buttons':
      return { ...base, type: 'interactive', interactive: buttonsInteractive(message) };
    case 'list':
      return { ...base, type: 'interactive', interactive: listInteractive(message) };
    case 'template':
      return { ...base, type: 'template', template: templateObject(message) };
    case 'location':
      return { ...base, type: 'location', location: locationObject(message) };
  }
}

function locationObject(m: LocationMessage): Record<string, unknown> {
  if (!(Math.abs(m.latitude) <= 90) || !(Math.abs(m.longitude) <= 180)) throw new Error('outbound message: location out of range');
  return {
    latitude: m.latitude,
    longitude: m.longitude,
    ...(m.name && { name: visible(m.name, LIMITS.locationName, 'location name') }),
    ...(m.address && { address: visible(m.address, LIMITS.locationAddress, 'location address') }),
  };
}

/** Mark-as-read, optionally showing "typing…" until we reply (or 25 s pass). */
export function buildReadPayload(wamid: string, typing: boolean): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: wamid,
    ...(typing ? { typing_indicator: { type: 'text' } } : {}),
  };
}

function chars(s: string): string[] {
  return [...s];
}

/** Truncates a visible text to `max` characters with an ellipsis; empty text is a bug. */
export function visible(text: string, max: number, what: string): string {
  if (text.trim() === '') throw new Error(`outbound message: ${what} is empty`);
  const c = chars(text);
  return c.length <= max ? text : `${c.slice(0, max - 1).join('')}…`;
}

function identifier(id: string, max: number, what: string): string {
  if (id === '' || chars(id).length > max)
    throw new Error(`outbound message: ${what} must be 1-${max} characters, got "${id.slice(0, 40)}"`);
  return id;
}

function uniqueIds(ids: string[], what: string): void {
  if (new Set(ids).size !== ids.length) throw new Error(`outbound message: ${what} ids must be unique`);
}

function headerFooter(m: { header?: string; footer?: string }): Record<string, unknown> {
  return {
    ...(m.header ? { header: { type: 'text', text: visible(m.header, LIMITS.header, 'header') } } : {}),
    ...(m.footer ? { footer: { text: visible(m.footer, LIMITS.footer, 'footer') } } : {}),
  };
}

function buttonsInteractive(m: ButtonsMessage): Record<string, unknown> {
  if (m.buttons.length < 1 || m.buttons.length > LIMITS.buttons) {
    throw new Error(`outbound message: reply buttons must be 1-${LIMITS.buttons}, got ${m.buttons.length}`);
  }
  uniqueIds(
    m.buttons.map((b) => b.id),
    'button',
  );
  const { header, footer } = headerFooter(m);
  return {
    type: 'button',
    ...(header ? { header } : {}),
    body: { text: visible(m.body, LIMITS.buttonsBody, 'buttons body') },
    ...(footer ? { footer } : {}),
    action: {
      buttons: m.buttons.map((b) => ({
        type: 'reply',
        reply: { id: identifier(b.id, LIMITS.buttonId, 'button id'), title: visible(b.title, LIMITS.buttonTitle, 'button title') },
      })),
    },
  };
}

function listInteractive(m: ListMessage): Record<string, unknown> {
  const rows = m.sections.flatMap((s) => s.rows);
  if (m.sections.length < 1 || m.sections.length > LIMITS.sections) {
    throw new Error(`outbound message: list sections must be 1-${LIMITS.sections}, got ${m.sections.length}`);
  }
  if (rows.length < 1 || rows.length > LIMITS.rows)
    throw new Error(`outbound message: list rows must be 1-${LIMITS.rows} in total, got ${rows.length}`);
  if (m.sections.some((s) => s.rows.length === 0)) throw new Error('outbound message: every list section needs a row');
  if (m.sections.length > 1 && m.sections.some((s) => !s.title)) {
    throw new Error('outbound message: a list with several sections needs a title on each');
  }
  uniqueIds(
    rows.map((r) => r.id),
    'row',
  );
  const { header, footer } = headerFooter(m);
  return {
    type: 'list',
    ...(header ? { header } : {}),
    body: { text: visible(m.body, LIMITS.listBody, 'list body') },
    ...(footer ? { footer } : {}),
    action: {
      button: visible(m.buttonText, LIMITS.listButtonText, 'list button text'),
      sections: m.sections.map((s) => ({
        ...(s.title ? { title: visible(s.title, LIMITS.sectionTitle, 'section title') } : {}),
        rows: s.rows.map((r) => ({
          id: identifier(r.id, LIMITS.rowId, 'row id'),
          title: visible(r.title, LIMITS.rowTitle, 'row title'),
          ...(r.description ? { description: visible(r.description, LIMITS.rowDescription, 'row description') } : {}),
        })),
      })),
    },
  };
}

/** Meta rejects template parameters with newlines, tabs or 5+ spaces in a row (132018): flatten them. */
function templateParam(text: string): string {
  const flat = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {5,}/g, '    ')
    .trim();
  if (flat === '') throw new Error('outbound message: template parameter is empty');
  return flat;
}

function templateObject(m: TemplateMessage): Record<string, unknown> {
  const payloads = m.quickReplyPayloads ?? [];
  if (payloads.length > LIMITS.quickReplies)
    throw new Error(`outbound message: at most ${LIMITS.quickReplies} quick replies, got ${payloads.length}`);
  const components: Record<string, unknown>[] = [];
  if (m.bodyParams.length > 0) {
    components.push({ type: 'body', parameters: m.bodyParams.map((text) => ({ type: 'text', text: templateParam(text) })) });
  }
  payloads.forEach((payload, index) => {
    components.push({
      type: 'button',
      sub_type: 'quick_reply',
      index: String(index),
      parameters: [{ type: 'payload', payload: identifier(payload, 1000, 'quick reply payload') }],
    });
  });
  return { name: m.name, language: { code: m.language }, ...(components.length > 0 ? { components } : {}) };
}
