import type { InboxEntry, OutboundMessage, SessionAddress, TurnState } from '@medcita/shared';

/** Sends replies; implemented by the Graph API client. Idempotent per key. */
export interface ReplySender {
  send(
    recipient: SessionAddress,
    message: OutboundMessage,
    opts: { idempotencyKey: string },
  ): Promise<{ messageId: string | null; skipped: boolean }>;
  /** Best effort: marks the message read and shows the typing indicator. Nobody waits for it. */
  markRead(phoneNumberId: string, wamid: string, opts: { typing: boolean }): Promise<void>;
  /** The turn owning these keys committed: their idempotency markers may expire soon. */
  turnCommitted?(phoneNumberId: string, idempotencyKeys: readonly string[]): Promise<void>;
}

export interface TurnInput {
  sessionKey: string;
  /** Where replies go (the latest message's sender). */
  address: SessionAddress;
  /** The messages of this turn, oldest first (rapid-fire messages coalesce into one turn). */
  entries: InboxEntry[];
  /** What the previous turn saved; empty for a new conversation. */
  state: TurnState;
  /** Stable across retries of the same batch; use it for idempotency keys of side effects. */
  turnId: string;
  now: number;
}

export interface TurnOutput {
  /** Replaces the saved state field by field. */
  state: TurnState;
  replies: OutboundMessage[];
  /** Short labels for the audit trail (intent, action...). */
  audit?: Record<string, string>;
}

/** The conversation logic the pipeline calls once per turn. */
export interface TurnHandler {
  handle(input: TurnInput): Promise<TurnOutput>;
}
