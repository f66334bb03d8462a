import type { InboundMessageEvent, ParsedWebhook, SessionInbox, StatusEvent, TurnScheduler } from '@medcita/shared';
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
 */
export class WebhookAcceptor {
  constructor(
    private readonly inbox: SessionInbox,
    private readonly scheduler: TurnScheduler,
    private readonly statuses: StatusRecorder,
    private readonly now: () => number = Date.now,
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
        // One script call for the session's messages, which keeps body order as arrival order.
        const added = await this.inbox.acceptAll(
          sessionKey,
          events.map((event) => ({ address: event.address, message: event.message, acceptedAt, requestId })),
        );
        for (const a of added) if (a) accepted += 1;
        // Also for pure duplicates: the first delivery may have died between
        // the inbox push and this call, and the redelivery must finish its job.
        await this.scheduler.schedule(sessionKey);
      }),
    );
    await this.statuses.record(statusEvents);

    const messages = parsed.events.length - statusEvents.length;
    return { accepted, duplicates: messages - accepted, statuses: statusEvents.length, sessions: bySession.size };
  }
}
