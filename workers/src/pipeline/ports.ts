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
export interface TurnHandler<P = unknown> {
  /**
   * Optional: starts the reads `handle` begins with. The runner calls it in
   * the tick it sends the open of a batch, so they leave in the same socket
   * write (one round trip and one syscall fewer per turn, coalesce-writes.ts),
   * and passes the result to `handle`. It is called before the runner knows
   * whether there is a batch: when there is none, the result is dropped (the
   * runner marks it handled, so a failed read is no unhandled rejection). On
   * one Redis connection the reads run right after the open; on a Redis
   * Cluster, or when the open is reloaded after NOSCRIPT, they may run just
   * before it, outside the session lock: `handle` must allow for that.
   */
  prefetch?(sessionKey: string): Promise<P>;
  /** `prefetched`: what `prefetch` started for this batch, when the handler has one. */
  handle(input: TurnInput, prefetched?: Promise<P>): Promise<TurnOutput>;
}
