/** What one webhook POST turns into: zero or more of these, in body order. */
export type InboundEvent = InboundMessageEvent | StatusEvent;

/** Message kinds the product distinguishes (docs/product.md, "WhatsApp Cloud API"); anything else is `unknown`. */
export type MessageKind =
  | 'text'
  | 'interactive'
  | 'button'
  | 'image'
  | 'audio'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'reaction'
  | 'unsupported'
  | 'system'
  | 'unknown';

export interface InboundMessage {
  /** Meta's message id (wamid); the unit of de-duplication. */
  wamid: string;
  kind: MessageKind;
  /** The raw `type` as Meta sent it (kept for unknown kinds). */
  rawType: string;
  /** Unix seconds as sent by Meta. */
  timestamp: number;
  /** Free text: text body, caption, button/list title, reaction emoji. */
  text?: string;
  /** Id of the picked reply button / list row, or a template button payload. */
  replyId?: string;
  /** id of the message this one replies to, when the user quoted one. */
  contextId?: string;
  profileName?: string;
}

export interface SessionAddress {
  /** The receiving business number (a fleet may serve several). */
  phoneNumberId: string;
  /** The sender's WhatsApp id (phone), when Meta shares it. */
  waId?: string;
  /** The sender's business-scoped user id, when present. */
  userId?: string;
}

export interface InboundMessageEvent {
  type: 'message';
  address: SessionAddress;
  /** `{phoneNumberId}:{userId ?? waId}`; every queue structure of a conversation hangs off it. */
  sessionKey: string;
  message: InboundMessage;
}

export interface StatusEvent {
  type: 'status';
  phoneNumberId: string;
  messageId: string;
  status: string;
  timestamp: number;
  recipient?: string;
  /** Our `biz_opaque_callback_data` echoed back: the send's idempotency key. */
  callbackData?: string;
  errors: { code: number; title: string }[];
}
