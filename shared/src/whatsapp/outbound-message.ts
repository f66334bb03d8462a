/**
 * What a turn asks to send, independent of Graph API JSON; the Graph client
 * turns it into the wire payload and enforces WhatsApp's size limits.
 */
export type OutboundMessage = TextMessage | ButtonsMessage | ListMessage | TemplateMessage | LocationMessage;

export interface TextMessage {
  kind: 'text';
  body: string;
}

/** Reply buttons: at most 3, titles at most 20 characters. */
export interface ButtonsMessage {
  kind: 'buttons';
  body: string;
  header?: string;
  footer?: string;
  buttons: { id: string; title: string }[];
}

/** Interactive list: at most 10 rows in all; row title ≤ 24, description ≤ 72 characters. */
export interface ListMessage {
  kind: 'list';
  body: string;
  buttonText: string;
  header?: string;
  footer?: string;
  sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
}

/** An approved template (the only thing allowed outside the 24-hour window). */
export interface TemplateMessage {
  kind: 'template';
  name: string;
  language: string;
  bodyParams: string[];
  /** One payload per quick-reply button, in button order. */
  quickReplyPayloads?: string[];
}

/** A map pin (WhatsApp location message): where a clinic is. */
export interface LocationMessage {
  kind: 'location';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}
