import {
  MAX_INBOX_BATCH,
  type InboundMessageEvent,
  type InboxEntry,
  type ParsedWebhook,
  type SessionInbox,
  type StatusEvent,
  type TurnScheduler,
} from '@medcita/shared';
import type { StatusRecorder } from './status-recorder.js';

export interface AcceptResult {
  accepted: number;
  duplicates: number;
  statuses: number;
  sessions: number;
}

/**
 * Everything the ingress does with a verified delivery before answering 200:
 * each session's messages into its inbox (once; one script call per
 * session), then a turn scheduled per session, then statuses recorded. Any
 * Redis failure propagates so the caller answers 5xx and Meta redelivers;
 * the redelivery is safe because the inbox absorbs duplicates and
 * scheduling is idempotent.
 *
 * The job add must run in Redis after the push, or a worker could take the
 * job, find the inbox empty and finish before the message lands (and with
 * the 200 sent, nothing would add another job). On a single Redis
 * (`oneConnection`: the inbox and the queue share the ingress's one
 * connection) Redis runs commands in the order sent, so the add goes right
 * behind the push in the same round trip; when the push had to be reloaded
 * (EVAL after NOSCRIPT, so it ran after the add) the add is sent again. On a
 * Redis Cluster they are on different nodes, and the add waits for the push.
 */
export class WebhookAcceptor {
  constructor(
    private readonly inbox: SessionInbox,
    private readonly scheduler: TurnScheduler,
    private readonly statuses: StatusRecorder,
    private readonly now: () => number = Date.now,
    private readonly oneConnection = false,
  ) {}

  async accept(parsed: ParsedWebhook, requestId: string): Promise<AcceptResult> {
    const bySession = new Map<string, InboundMessageEvent[]>();
    const statusEvents: StatusEvent[] = [];
    for (const event of parsed.events) {
      if (event.type === 'status') {
        statusEvents.push(event);
        continue;
      }
      const list = bySession.get(event.sessionKey);
      if (list) list.push(event);
      else bySession.set(event.sessionKey, [event]);
    }

    const acceptedAt = this.now();
    let accepted = 0;
    await Promise.all(
      [...bySession].map(async ([sessionKey, events]) => {
        const entries = events.map((event): InboxEntry => ({ address: event.address, message: event.message, acceptedAt, requestId }));
        accepted += await this.record(sessionKey, entries);
      }),
    );
    await this.statuses.record(statusEvents);

    const messages = parsed.events.length - statusEvents.length;
    return { accepted, duplicates: messages - accepted, statuses: statusEvents.length, sessions: bySession.size };
  }

  /**
   * One session's messages into its inbox, then its job added; returns how
   * many messages were new. The add also runs for pure duplicates: the first
   * delivery may have died between the push and the add, and the redelivery
   * must finish its job.
   */
  private async record(sessionKey: string, entries: InboxEntry[]): Promise<number> {
    const count = (added: boolean[]) => added.reduce((n, a) => (a ? n + 1 : n), 0);
    if (this.oneConnection && entries.length <= MAX_INBOX_BATCH) {
      // `push` has queued its EVALSHA when it returns: the add is queued behind it.
      const pushed = this.inbox.push(sessionKey, entries);
      const [push] = await Promise.all([pushed, this.scheduler.schedule(sessionKey)]);
      if (push.late) await this.scheduler.schedule(sessionKey);
      return count(push.added);
    }
    const added = await this.inbox.acceptAll(sessionKey, entries);
    await this.scheduler.schedule(sessionKey);
    return count(added);
  }
}
