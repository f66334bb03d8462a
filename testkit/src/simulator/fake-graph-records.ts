export interface SentRecord {
  phoneNumberId: string;
  /** `to` (phone) or, for BSUID-only sends, `recipient`. */
  to: string;
  type: string;
  payload: Record<string, unknown>;
  messageId: string;
  /** Date.now() when the request arrived, before any injected latency. */
  receivedAt: number;
}

export interface ReadRecord {
  phoneNumberId: string;
  messageId: string;
  typing: boolean;
  payload: Record<string, unknown>;
  receivedAt: number;
}

/** Every request to the messages endpoint, accepted or not (status 499: client gave up during latency). */
export interface RequestRecord {
  endpoint: 'messages' | 'read';
  phoneNumberId: string;
  to?: string;
  status: number;
  errorCode?: number;
  receivedAt: number;
}

/** What the fake injected and reported so far (for soaks, which clear the record arrays as they go). */
export interface FakeGraphCounts {
  /** Injected error answers by HTTP status (queued and random faults). */
  faults: Record<number, number>;
  /** Accepted sends answered after `answerAfterMs`. */
  answeredLate: number;
  /** Status webhooks posted (each of sent/delivered/read counts). */
  statusesPosted: number;
  /** Status webhooks held back by the sink's `delayMs` before their first post. */
  statusesDelayed: number;
  /** Status posts the business answered with something other than 200, and that were retried. */
  statusRetries: number;
}

/** Whom a send or mark-as-read payload addresses: `to` (phone) or, for BSUID-only sends, `recipient`. */
export function recipientOf(payload: Record<string, unknown> | null): string | undefined {
  if (typeof payload?.to === 'string') return payload.to;
  if (typeof payload?.recipient === 'string') return payload.recipient;
  return undefined;
}

/** Graph's answer to an accepted send. */
export function sendAnswer(record: SentRecord): Record<string, unknown> {
  const { payload, to } = record;
  const contact = typeof payload.to === 'string' ? { input: to, wa_id: to } : { input: to, user_id: to };
  const message = payload.type === 'template' ? { id: record.messageId, message_status: 'accepted' } : { id: record.messageId };
  return { messaging_product: 'whatsapp', contacts: [contact], messages: [message] };
}
