import { buildSessionKey } from '../sessions/session-keys.js';
import type { InboundEvent, InboundMessage, MessageKind, StatusEvent } from './inbound-event.js';
import type { WebhookBody, WebhookContact, WebhookMessage, WebhookStatus, WebhookValue } from './webhook-payload.js';

/** The body is JSON but not a WhatsApp Business webhook: answer 400, Meta never sends it. */
export class NotAWebhookError extends Error {
  readonly code = 'NOT_A_WEBHOOK';
  constructor(reason: string) {
    super(`not a WhatsApp webhook: ${reason}`);
    this.name = 'NotAWebhookError';
  }
}

export interface ParsedWebhook {
  events: InboundEvent[];
  /** Changes of other fields (account updates, template status...) that were ignored. */
  ignoredChanges: number;
  /** Messages or statuses dropped because a field we rely on was missing. */
  malformed: number;
}

const KNOWN_KINDS = new Set<MessageKind>([
  'text',
  'interactive',
  'button',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'unsupported',
  'system',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One POST body → zero or more events in body order. Tolerant of fields and
 * message types it does not know (Meta adds them); strict about the ones it
 * relies on (ids, sender, business number): an item without them is counted
 * as malformed and skipped rather than failing the whole delivery.
 */
export function parseWebhook(body: unknown): ParsedWebhook {
  if (!isObject(body)) throw new NotAWebhookError('body is not an object');
  const typed = body as WebhookBody;
  if (typed.object !== 'whatsapp_business_account') throw new NotAWebhookError('object is not whatsapp_business_account');
  if (!Array.isArray(typed.entry)) throw new NotAWebhookError('entry is not an array');

  const out: ParsedWebhook = { events: [], ignoredChanges: 0, malformed: 0 };
  for (const entry of typed.entry) {
    if (!isObject(entry) || !Array.isArray(entry.changes)) {
      out.malformed += 1;
      continue;
    }
    for (const change of entry.changes as unknown[]) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) {
        out.ignoredChanges += 1;
        continue;
      }
      parseValue(change.value, out);
    }
  }
  return out;
}

function parseValue(value: WebhookValue, out: ParsedWebhook): void {
  // Not a string (an object, a number): it would name no session and break the Redis writes keyed by it.
  const phoneNumberId = nonEmpty(value.metadata?.phone_number_id);
  const messages = Array.isArray(value.messages) ? value.messages : [];
  const statuses = Array.isArray(value.statuses) ? value.statuses : [];
  if (!phoneNumberId) {
    out.malformed += messages.length + statuses.length;
    return;
  }
  const contacts = Array.isArray(value.contacts) ? value.contacts : [];
  for (const raw of messages) {
    const event = isObject(raw) ? toMessageEvent(raw, phoneNumberId, contacts) : null;
    if (event) out.events.push(event);
    else out.malformed += 1;
  }
  for (const raw of statuses) {
    const event = isObject(raw) ? toStatusEvent(raw, phoneNumberId) : null;
    if (event) out.events.push(event);
    else out.malformed += 1;
  }
}

function findContact(contacts: WebhookContact[], msg: WebhookMessage): WebhookContact | undefined {
  return (
    contacts.find((c) => isObject(c) && ((msg.from && c.wa_id === msg.from) || (msg.from_user_id && c.user_id === msg.from_user_id))) ??
    (contacts.length === 1 && isObject(contacts[0]) ? contacts[0] : undefined)
  );
}

const nonEmpty = (s: unknown): string | undefined => (typeof s === 'string' && s.length > 0 ? s : undefined);

function toMessageEvent(msg: WebhookMessage, phoneNumberId: string, contacts: WebhookContact[]): InboundEvent | null {
  const wamid = nonEmpty(msg.id);
  const contact = findContact(contacts, msg);
  const waId = nonEmpty(msg.from) ?? nonEmpty(contact?.wa_id);
  const userId = nonEmpty(msg.from_user_id) ?? nonEmpty(contact?.user_id);
  if (!wamid || (!waId && !userId)) return null;
  const rawType = nonEmpty(msg.type) ?? 'unknown';
  const kind: MessageKind = KNOWN_KINDS.has(rawType as MessageKind) ? (rawType as MessageKind) : 'unknown';
  const message: InboundMessage = {
    wamid,
    kind,
    rawType,
    timestamp: Number(msg.timestamp) || Math.floor(Date.now() / 1000),
    ...content(kind, msg),
  };
  if (msg.context?.id) message.contextId = msg.context.id;
  const profileName = nonEmpty(contact?.profile?.name);
  if (profileName) message.profileName = profileName;
  return {
    type: 'message',
    address: { phoneNumberId, ...(waId ? { waId } : {}), ...(userId ? { userId } : {}) },
    sessionKey: buildSessionKey(phoneNumberId, userId, waId),
    message,
  };
}

function content(kind: MessageKind, msg: WebhookMessage): Pick<InboundMessage, 'text' | 'replyId'> {
  switch (kind) {
    case 'text':
      return { text: msg.text?.body ?? '' };
    case 'interactive': {
      const reply = msg.interactive?.button_reply ?? msg.interactive?.list_reply;
      return reply ? { text: reply.title ?? '', replyId: reply.id ?? '' } : {};
    }
    case 'button':
      return { text: msg.button?.text ?? '', replyId: msg.button?.payload ?? '' };
    case 'image':
    case 'video':
    case 'document':
      return msg[kind]?.caption ? { text: msg[kind].caption } : {};
    case 'reaction':
      return msg.reaction?.emoji ? { text: msg.reaction.emoji } : {};
    default:
      return {};
  }
}

function toStatusEvent(st: WebhookStatus, phoneNumberId: string): StatusEvent | null {
  const messageId = nonEmpty(st.id);
  const status = nonEmpty(st.status);
  if (!messageId || !status) return null;
  const recipient = nonEmpty(st.recipient_id) ?? nonEmpty(st.recipient_user_id);
  const callbackData = nonEmpty(st.biz_opaque_callback_data);
  return {
    type: 'status',
    phoneNumberId,
    messageId,
    status,
    timestamp: Number(st.timestamp) || Math.floor(Date.now() / 1000),
    ...(recipient ? { recipient } : {}),
    ...(callbackData && callbackData.length <= 512 ? { callbackData } : {}),
    errors: (Array.isArray(st.errors) ? st.errors : []).map((e) => ({
      code: Number(e?.code) || 0,
      title: String(e?.title ?? e?.message ?? ''),
    })),
  };
}
