/**
 * The parts of Meta's webhook body (`entry[].changes[].value`) this system
 * reads. Meta adds fields often: everything here is optional on purpose and
 * the parser checks what it relies on.
 */
export interface WebhookBody {
  object?: string;
  entry?: WebhookEntry[];
}

export interface WebhookEntry {
  id?: string;
  changes?: WebhookChange[];
}

export interface WebhookChange {
  field?: string;
  value?: WebhookValue;
}

export interface WebhookValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: WebhookContact[];
  messages?: WebhookMessage[];
  statuses?: WebhookStatus[];
}

export interface WebhookContact {
  wa_id?: string;
  /** Business-scoped user id (BSUID); present for users who withhold their phone. */
  user_id?: string;
  profile?: { name?: string };
}

export interface WebhookMessage {
  id?: string;
  from?: string;
  from_user_id?: string;
  timestamp?: string;
  type?: string;
  context?: { id?: string; from?: string };
  text?: { body?: string };
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string; description?: string };
  };
  button?: { payload?: string; text?: string };
  image?: WebhookMedia;
  audio?: WebhookMedia;
  video?: WebhookMedia;
  document?: WebhookMedia & { filename?: string };
  sticker?: WebhookMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contacts?: unknown[];
  reaction?: { message_id?: string; emoji?: string };
  system?: { body?: string; type?: string };
  errors?: WebhookError[];
}

export interface WebhookMedia {
  id?: string;
  mime_type?: string;
  caption?: string;
}

export interface WebhookError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}

export interface WebhookStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  /** Echo of the `biz_opaque_callback_data` the business sent with the message. */
  biz_opaque_callback_data?: string;
  recipient_id?: string;
  recipient_user_id?: string;
  errors?: WebhookError[];
}
