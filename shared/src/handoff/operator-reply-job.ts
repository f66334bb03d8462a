import type { OutboundMessage } from '../whatsapp/outbound-message.js';
import type { SessionAddress } from '../whatsapp/inbound-event.js';

/** Queue `operator-replies`: a message an operator wrote, sent by a worker through the Graph client. */
export interface OperatorReplyJob {
  sessionKey: string;
  /** Unique per reply; the job id and, with the session, the send's idempotency key. */
  replyId: string;
  operator: string;
  address: SessionAddress;
  message: OutboundMessage;
}

/** Queue `operator-replies`: the wait of one handoff ran out (job id `handoff-timeout:<sessionKey>:<flaggedAt>`). */
export interface HandoffTimeoutJob {
  sessionKey: string;
  flaggedAt: number;
}

/**
 * Fields of an operator's audit record in the `<prefix>:audit` stream, shaped
 * like a turn record (`npm run audit` lists both): who did what, to which
 * session (its hash, never the phone), when. Never the message text.
 */
export function operatorAuditFields(r: {
  rid: string;
  action: 'take' | 'reply' | 'template' | 'release' | 'timeout';
  operator: string;
  sessionHash: string;
  business: string;
  at: number;
  outcome?: string;
}): string[] {
  return [
    'rid',
    r.rid,
    'session',
    r.sessionHash,
    'business',
    r.business,
    'turn',
    r.rid,
    'attempt',
    '1',
    'messages',
    '0',
    'replies',
    r.action === 'reply' || r.action === 'template' || r.action === 'timeout' ? '1' : '0',
    'startedAt',
    String(r.at),
    'endedAt',
    String(r.at),
    'acceptedAt',
    String(r.at),
    'outcome',
    r.outcome ?? 'ok',
    'kind',
    'operator',
    'action',
    r.action,
    'operator',
    r.operator,
  ];
}
