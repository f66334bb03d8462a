import type { WebhookBody } from '@medcita/shared';
import type { InboundContent } from './inbound-content.js';
import { metaErrorEntry } from './meta-errors.js';
import type { Rng } from './random.js';
import { makeWamid } from './wamid.js';

/** The business number a simulated webhook is addressed to. */
export interface SimBusiness {
  phoneNumberId: string;
  displayPhoneNumber: string;
  /** WhatsApp Business Account id: `entry[].id`. */
  wabaId: string;
}

/**
 * A simulated WhatsApp user. Give `waId` (phone), `userId` (BSUID, e.g.
 * `CO.1234567890123456789`) or both; a username user may withhold the phone.
 */
export interface SimUser {
  waId?: string;
  userId?: string;
  name?: string;
  username?: string;
}

export const DEFAULT_BUSINESS: SimBusiness = Object.freeze({
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
  wabaId: '102290129340398',
});

type Json = Record<string, unknown>;

export interface InboundItem {
  kind: 'message';
  business: SimBusiness;
  user: SimUser;
  /** The `messages[]` element exactly as it goes on the wire. */
  message: Json & { id: string; type: string; timestamp: string };
}

export interface StatusItem {
  kind: 'status';
  business: SimBusiness;
  user: SimUser;
  status: Json & { id: string; status: string };
}

export type WebhookItem = InboundItem | StatusItem;

function unixNow(): string {
  return String(Math.floor(Date.now() / 1000));
}

function userKey(user: SimUser): string {
  if (!user.waId && !user.userId) throw new Error('a SimUser needs waId or userId');
  return user.userId ?? user.waId!;
}

/** A user with a Colombian-looking number derived from `n` (and optionally a BSUID). */
export function simUser(n: number, opts: { name?: string; withUserId?: boolean; phoneless?: boolean } = {}): SimUser {
  const digits = String(n).padStart(7, '0');
  const user: SimUser = { name: opts.name ?? `Paciente ${n}` };
  if (!opts.phoneless) user.waId = `57300${digits}`;
  if (opts.withUserId || opts.phoneless) user.userId = `CO.${String(n).padStart(19, '1')}`;
  return user;
}

/** One inbound message from `user`; `id` defaults to a fresh wamid. */
export function inbound(
  user: SimUser,
  body: InboundContent,
  opts: { id?: string; timestamp?: number; contextId?: string; business?: SimBusiness; rng?: Rng } = {},
): InboundItem {
  const id = opts.id ?? makeWamid({ user: userKey(user), direction: 'in', rng: opts.rng });
  const message: InboundItem['message'] = {
    ...(user.waId === undefined ? {} : { from: user.waId }),
    ...(user.userId === undefined ? {} : { from_user_id: user.userId }),
    id,
    timestamp: opts.timestamp === undefined ? unixNow() : String(opts.timestamp),
    ...(opts.contextId === undefined
      ? {}
      : { context: { from: opts.business?.displayPhoneNumber ?? DEFAULT_BUSINESS.displayPhoneNumber, id: opts.contextId } }),
    ...body,
  };
  return { kind: 'message', business: opts.business ?? DEFAULT_BUSINESS, user, message };
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * A status update for a message the business sent (`messageId` is the wamid
 * the Graph API returned). `failed` carries `errors[]` (default 131047).
 */
export function statusUpdate(
  user: SimUser,
  messageId: string,
  status: DeliveryStatus,
  opts: { errorCode?: number; timestamp?: number; business?: SimBusiness; callbackData?: string } = {},
): StatusItem {
  userKey(user);
  const base: StatusItem['status'] = {
    id: messageId,
    status,
    timestamp: opts.timestamp === undefined ? unixNow() : String(opts.timestamp),
    ...(user.waId === undefined ? {} : { recipient_id: user.waId }),
    ...(user.userId === undefined ? {} : { recipient_user_id: user.userId }),
    ...(opts.callbackData === undefined ? {} : { biz_opaque_callback_data: opts.callbackData }),
  };
  if (status === 'failed') {
    base.errors = [metaErrorEntry(opts.errorCode ?? 131047)];
  } else {
    base.conversation = { id: makeWamid({ direction: 'out' }).slice(6, 38), origin: { type: 'service' } };
    base.pricing = { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' };
  }
  return { kind: 'status', business: opts.business ?? DEFAULT_BUSINESS, user, status: base };
}

function contactOf(user: SimUser): Json {
  const profile: Json = { name: user.name ?? 'Usuario' };
  if (user.username !== undefined) profile.username = user.username;
  return {
    profile,
    ...(user.waId === undefined ? {} : { wa_id: user.waId }),
    ...(user.userId === undefined ? {} : { user_id: user.userId }),
  };
}

function valueFor(business: SimBusiness, items: WebhookItem[]): Json {
  const value: Json = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
  };
  const messages = items.filter((i): i is InboundItem => i.kind === 'message');
  const statuses = items.filter((i): i is StatusItem => i.kind === 'status');
  if (messages.length > 0) {
    const contacts = new Map<string, Json>();
    for (const m of messages) contacts.set(userKey(m.user), contactOf(m.user));
    value.contacts = [...contacts.values()];
    value.messages = messages.map((m) => m.message);
  }
  if (statuses.length > 0) value.statuses = statuses.map((s) => s.status);
  return value;
}

/**
 * One POST body carrying `items` in order. `group: 'entry'` (default) gives
 * each item its own entry, the way Meta batches unrelated updates;
 * `group: 'value'` merges consecutive items of one business number into a
 * single `value` with several `messages`/`contacts`, which Meta also does.
 */
export function webhookBody(items: WebhookItem[], opts: { group?: 'entry' | 'value' } = {}): WebhookBody {
  const entry: Json[] = [];
  const change = (business: SimBusiness, group: WebhookItem[]) => ({
    id: business.wabaId,
    changes: [{ value: valueFor(business, group), field: 'messages' }],
  });
  if (opts.group === 'value') {
    let run: WebhookItem[] = [];
    for (const item of items) {
      if (run.length > 0 && run[0]!.business.phoneNumberId !== item.business.phoneNumberId) {
        entry.push(change(run[0]!.business, run));
        run = [];
      }
      run.push(item);
    }
    if (run.length > 0) entry.push(change(run[0]!.business, run));
  } else {
    for (const item of items) entry.push(change(item.business, [item]));
  }
  return { object: 'whatsapp_business_account', entry };
}

/** A body for a non-message field (`account_update`, `message_template_status_update`, …). */
export function fieldChangeBody(field: string, value: Json, business: SimBusiness = DEFAULT_BUSINESS): WebhookBody {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: business.wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field }] }],
  } as unknown as WebhookBody;
}

export function accountUpdateBody(business: SimBusiness = DEFAULT_BUSINESS): WebhookBody {
  return fieldChangeBody('account_update', { phone_number: business.displayPhoneNumber, event: 'VERIFIED_ACCOUNT' }, business);
}

export function templateStatusBody(name: string, event: 'APPROVED' | 'REJECTED' | 'PAUSED', business = DEFAULT_BUSINESS): WebhookBody {
  return fieldChangeBody(
    'message_template_status_update',
    {
      event,
      message_template_id: 1_234_567_890,
      message_template_name: name,
      message_template_language: 'es',
      reason: event === 'REJECTED' ? 'INCORRECT_CATEGORY' : 'NONE',
    },
    business,
  );
}
