import type { InboundMessage, SessionAddress } from '../whatsapp/inbound-event.js';

/** One accepted message as stored in a session inbox. */
export interface InboxEntry {
  address: SessionAddress;
  message: InboundMessage;
  /** Epoch ms when the ingress accepted it: the start of ack-to-reply latency. */
  acceptedAt: number;
  /** Ingress request id, so logs follow a message from webhook to reply. */
  requestId?: string;
}
