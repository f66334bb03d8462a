import {
  fleetKeys,
  HandoffReason,
  JobName,
  jobOptions,
  OperatorReplyKey,
  operatorAuditFields,
  sessionHash,
  type Handoff,
  type HandoffStore,
  type OperatorReplyJob,
  type OutboundMessage,
  type RedisClient,
  type ReplyStatus,
  type TranscriptLine,
  type TranscriptStore,
} from '@medcita/shared';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';

export interface InboxRow {
  sessionKey: string;
  firstName?: string;
  /** The phone with all but its last 4 digits hidden, or null for a phoneless (BSUID) sender. */
  maskedPhone: string | null;
  reason: string;
  flaggedAt: number;
  assignee?: string;
  preview?: { dir: TranscriptLine['dir']; kind: string; text?: string };
}

export interface Conversation {
  handoff: Handoff;
  row: InboxRow;
  lines: TranscriptLine[];
  statuses: Record<string, ReplyStatus>;
  /** The last operator reply failed because the 24-hour window is closed. */
  windowClosed: boolean;
}

export type ActionResult = { ok: true } | { ok: false; status: 400 | 404 | 409; error: string };

export interface InboxServiceOptions {
  keyPrefix: string;
  template: { name: string; language: string };
  now?: () => number;
}

export function maskPhone(waId: string | undefined): string | null {
  if (!waId) return null;
  const digits = waId.replace(/\D/g, '');
  return `••• ${digits.slice(-4)}`;
}

/** What operators do in the inbox; each step is recorded in the audit stream with the operator id. */
export class InboxService {
  private readonly now: () => number;

  constructor(
    private readonly deps: { redis: RedisClient; handoff: HandoffStore; transcripts: TranscriptStore; replies: Queue<OperatorReplyJob> },
    private readonly options: InboxServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private row(h: Handoff, last: TranscriptLine | null): InboxRow {
    return {
      sessionKey: h.sessionKey,
      ...(h.firstName ? { firstName: h.firstName } : {}),
      maskedPhone: maskPhone(h.address?.waId),
      reason: h.reason,
      flaggedAt: h.flaggedAt,
      ...(h.assignee ? { assignee: h.assignee } : {}),
      ...(last ? { preview: { dir: last.dir, kind: last.kind, ...(last.text ? { text: last.text } : {}) } } : {}),
    };
  }

  /** Open handoffs, longest waiting first. */
  async list(): Promise<InboxRow[]> {
    const handoffs = await this.deps.handoff.list();
    const lasts = await Promise.all(handoffs.map((h) => this.deps.transcripts.last(h.sessionKey)));
    return handoffs.map((h, i) => this.row(h, lasts[i] ?? null));
  }

  async conversation(sessionKey: string): Promise<Conversation | null> {
    const handoff = await this.deps.handoff.get(sessionKey);
    if (!handoff) return null;
    const { lines, statuses } = await this.deps.transcripts.read(sessionKey);
    const lastOp = [...lines].reverse().find((l) => l.dir === 'op');
    return {
      handoff,
      row: this.row(handoff, [...lines].reverse().find((l) => l.dir !== 'note') ?? null),
      lines,
      statuses,
      windowClosed: lastOp !== undefined && statuses[lastOp.id] === 'window_closed',
    };
  }

  async take(sessionKey: string, operator: string): Promise<ActionResult> {
    const r = await this.deps.handoff.take(sessionKey, operator);
    if (!r.ok)
      return r.reason === 'taken'
        ? { ok: false, status: 409, error: `tomada por ${r.holder}` }
        : { ok: false, status: 404, error: 'ya no está derivada' };
    await this.audit('take', operator, sessionKey);
    return { ok: true };
  }

  /** Queues a reply (text, or the re-engagement template) for the workers to send; only the holder may. */
  async reply(sessionKey: string, operator: string, content: { text: string } | { template: true }): Promise<ActionResult> {
    const handoff = await this.deps.handoff.get(sessionKey);
    if (!handoff?.address) return { ok: false, status: 404, error: 'ya no está derivada' };
    const held = await this.deps.handoff.touch(sessionKey, operator);
    if (!held.ok)
      return {
        ok: false,
        status: held.reason === 'missing' ? 404 : 409,
        error: held.reason === 'taken' ? `tomada por ${held.holder}` : 'tómala primero',
      };
    await this.send(sessionKey, operator, handoff, content);
    return { ok: true };
  }

  private async send(
    sessionKey: string,
    operator: string,
    handoff: Handoff,
    content: { text: string } | { template: true },
  ): Promise<void> {
    const replyId = randomUUID();
    const message: OutboundMessage =
      'text' in content
        ? { kind: 'text', body: content.text }
        : { kind: 'template', name: this.options.template.name, language: this.options.template.language, bodyParams: [] };
    const line: TranscriptLine = {
      id: replyId,
      dir: 'op',
      kind: message.kind,
      at: this.now(),
      operator,
      text: 'text' in content ? content.text : `Plantilla «${this.options.template.name}»`,
    };
    await this.deps.transcripts.record(sessionKey, [line], true);
    await this.deps.transcripts.setStatus(sessionKey, replyId, 'queued');
    await this.deps.replies.add(
      JobName.OperatorReply,
      { sessionKey, replyId, operator, address: handoff.address!, message },
      {
        jobId: OperatorReplyKey.make(sessionKey, replyId).replace(/[|:]/g, '_'),
        ...jobOptions[JobName.OperatorReply],
      },
    );
    await this.deps.handoff.bump();
  }

  /** Hands the conversation back to the bot, after an optional closing message. */
  async release(sessionKey: string, operator: string, closing?: string): Promise<ActionResult> {
    const handoff = await this.deps.handoff.get(sessionKey);
    if (!handoff) return { ok: false, status: 404, error: 'ya no está derivada' };
    if (handoff.assignee && handoff.assignee !== operator) return { ok: false, status: 409, error: `tomada por ${handoff.assignee}` };
    if (closing && handoff.address) await this.send(sessionKey, operator, handoff, { text: closing });
    const released = await this.deps.handoff.release(sessionKey, operator);
    if (released === 'held') return { ok: false, status: 409, error: 'tomada por otra persona' };
    if (!released) return { ok: false, status: 404, error: 'ya no está derivada' };
    await this.deps.transcripts.record(
      sessionKey,
      [{ id: `release:${randomUUID()}`, dir: 'note', kind: 'released', at: this.now(), operator }],
      true,
    );
    await this.audit('release', operator, sessionKey);
    return { ok: true };
  }

  /** One record per operator action in the audit stream: who, what, which session (as a hash), when. */
  private async audit(action: 'take' | 'release', operator: string, sessionKey: string): Promise<void> {
    const fields = operatorAuditFields({
      rid: randomUUID(),
      action,
      operator,
      sessionHash: sessionHash(sessionKey),
      business: sessionKey.split(':')[0] ?? '',
      at: this.now(),
    });
    await this.deps.redis.xadd(fleetKeys(this.options.keyPrefix).audit, 'MAXLEN', '~', '100000', '*', ...fields);
  }
}

export const REASON_LABELS: Record<string, string> = {
  [HandoffReason.AskedForPerson]: 'Pidió hablar con una persona',
  [HandoffReason.Misunderstood]: 'El asistente no entendió dos veces',
  [HandoffReason.ClinicOutage]: 'Falla del sistema de la clínica',
};
