import type { SentRecord } from '@medcita/testkit/simulator';

/** At most this many pieces of evidence are kept per kind of violation; the count is exact. */
const EVIDENCE = 20;

export type ViolationKind =
  | 'lostAcknowledged'
  | 'duplicateReplies'
  | 'orderViolations'
  | 'overlappingTurns'
  | 'doubleBookings'
  | 'bookingMismatch'
  | 'nonJsonLogLines';

export interface Violation {
  count: number;
  evidence: string[];
}

interface TurnSpan {
  start: number;
  end: number;
  first: number;
  last: number;
  turn: string;
}

/**
 * What the soak knows about every message, in compact arrays sized once:
 * which were acknowledged (a 200 from the ingress), which committed turn
 * consumed them (audit stream) and, with the echo handler, which replies
 * carried them. Payloads are never kept, so 100k messages cost a few MB.
 */
export class Ledger {
  readonly acked: Uint8Array;
  /** Committed turns that consumed each message (audit stream, one per rid). */
  readonly consumed: Uint8Array;
  readonly echoed: Uint8Array;
  private readonly wamidIndex = new Map<string, number>();
  private readonly wamids: string[];
  private readonly sessionOf: Int32Array;
  private readonly lastEchoed: Int32Array;
  private readonly turns = new Map<number, TurnSpan[]>();
  private readonly rids = new Set<string>();
  /** Idempotency key of every reply accepted → when (ms), to date a duplicate against its original. */
  private readonly replyKeys = new Map<string, number>();
  readonly violations: Record<ViolationKind, Violation> = {
    lostAcknowledged: { count: 0, evidence: [] },
    duplicateReplies: { count: 0, evidence: [] },
    orderViolations: { count: 0, evidence: [] },
    overlappingTurns: { count: 0, evidence: [] },
    doubleBookings: { count: 0, evidence: [] },
    bookingMismatch: { count: 0, evidence: [] },
    nonJsonLogLines: { count: 0, evidence: [] },
  };
  ackedCount = 0;
  consumedCount = 0;
  echoedCount = 0;
  /** Messages answered: echoed, or set aside in a turn answered with the apology. */
  answeredCount = 0;
  private readonly answered: Uint8Array;
  turnCount = 0;
  droppedTurns = 0;
  repliesSeen = 0;
  auditLastId = '0-0';

  constructor(
    readonly messages: number,
    /** First global message index of each session, and `messages` at the end. */
    readonly offsets: Int32Array,
  ) {
    this.acked = new Uint8Array(messages);
    this.consumed = new Uint8Array(messages);
    this.echoed = new Uint8Array(messages);
    this.answered = new Uint8Array(messages);
    this.wamids = new Array<string>(messages);
    this.sessionOf = new Int32Array(messages);
    for (let s = 0; s + 1 < offsets.length; s++) this.sessionOf.fill(s, offsets[s], offsets[s + 1]);
    this.lastEchoed = new Int32Array(offsets.length - 1).fill(-1);
  }

  get sessions(): number {
    return this.offsets.length - 1;
  }

  register(g: number, wamid: string): void {
    this.wamids[g] = wamid;
    this.wamidIndex.set(wamid, g);
  }

  wamidOf(g: number): string | undefined {
    return this.wamids[g];
  }

  ack(g: number): void {
    if (this.acked[g]) return;
    this.acked[g] = 1;
    this.ackedCount += 1;
  }

  private markAnswered(g: number): void {
    if (this.answered[g]) return;
    this.answered[g] = 1;
    this.answeredCount += 1;
  }

  record(kind: ViolationKind, evidence: string): void {
    const v = this.violations[kind];
    v.count += 1;
    if (v.evidence.length < EVIDENCE) v.evidence.push(evidence);
  }

  /** One audit stream entry. Records published twice after a crash share a rid and count once. */
  onAudit(id: string, f: Record<string, string>): void {
    this.auditLastId = id;
    if (f.rid !== undefined) {
      if (this.rids.has(f.rid)) return;
      this.rids.add(f.rid);
    }
    this.turnCount += 1;
    const indexes = (f.wamids ?? '')
      .split(',')
      .filter(Boolean)
      .map((w) => this.wamidIndex.get(w))
      .filter((g): g is number => g !== undefined);
    if (f.outcome === 'dropped') {
      // Failed TURN_MAX_ATTEMPTS times (a SIGKILL counts): answered with the apology, never echoed.
      this.droppedTurns += 1;
      for (const g of indexes) this.markAnswered(g);
    }
    if (indexes.length === 0) return;
    for (const g of indexes) {
      if (this.consumed[g] === 0) this.consumedCount += 1;
      else this.record('duplicateReplies', `${this.wamids[g]} consumed by a second committed turn ${f.turn} (rid ${f.rid})`);
      this.consumed[g] = Math.min(255, this.consumed[g]! + 1);
    }
    const s = this.sessionOf[indexes[0]!]!;
    const list = this.turns.get(s) ?? [];
    list.push({
      start: Number(f.startedAt),
      end: Number(f.endedAt),
      first: Math.min(...indexes),
      last: Math.max(...indexes),
      turn: f.turn ?? '?',
    });
    this.turns.set(s, list);
    const named = () =>
      `[${indexes.map((g) => `m${g - this.offsets[s]!}`).join(', ')}] of session ${s}, attempt ${f.attempt}, started ${new Date(Number(f.startedAt)).toISOString()}`;
    for (let i = 1; i < indexes.length; i++) {
      if (indexes[i]! <= indexes[i - 1]!)
        this.record(
          'orderViolations',
          `turn ${f.turn} consumed ${this.wamids[indexes[i - 1]!]} before ${this.wamids[indexes[i]!]}: ${named()}`,
        );
    }
  }

  /** One accepted send at the fake Graph API. `sessionOfWaId` maps the recipient to a session. */
  onSent(r: SentRecord, sessionOfWaId: (to: string) => number | undefined, echo: boolean): void {
    this.repliesSeen += 1;
    const key = r.payload.biz_opaque_callback_data;
    const first = typeof key === 'string' ? this.replyKeys.get(key) : undefined;
    if (typeof key === 'string') {
      if (first !== undefined)
        this.record(
          'duplicateReplies',
          `reply ${key} accepted again ${r.receivedAt - first} ms after the first (second as ${r.messageId})`,
        );
      else this.replyKeys.set(key, r.receivedAt);
    }
    if (!echo) return;
    const s = sessionOfWaId(r.to);
    if (s === undefined) return;
    const body = (r.payload as { text?: { body?: string } }).text?.body ?? '';
    for (const [, session, message] of body.matchAll(/"s(\d+)m(\d+)"/g)) {
      const mm = Number(message);
      const at = this.offsets[s]! + mm;
      if (Number(session) !== s || at >= this.offsets[s + 1]!) {
        this.record('orderViolations', `reply ${r.messageId} to session ${s} echoes s${session}m${message}, not one of its messages`);
        continue;
      }
      const again = this.echoed[at]! > 0;
      this.echoed[at] = Math.min(255, this.echoed[at]! + 1);
      // A second echo is one duplicate, not also an order violation.
      if (again) {
        // A reply already counted by its key is one duplicate, however many messages it echoes.
        if (first === undefined) this.record('duplicateReplies', `message ${this.wamids[at]} (s${s}m${mm}) echoed again in ${r.messageId}`);
        continue;
      }
      this.echoedCount += 1;
      this.markAnswered(at);
      if (at < this.lastEchoed[s]!)
        this.record(
          'orderViolations',
          `s${s}m${mm} (${this.wamids[at]}) echoed after s${s}m${this.lastEchoed[s]! - this.offsets[s]!}, in ${r.messageId} at ${new Date(r.receivedAt).toISOString()}`,
        );
      this.lastEchoed[s] = Math.max(this.lastEchoed[s]!, at);
    }
  }

  /** Acknowledged messages no committed turn consumed (call once everything had its chance). */
  checkLost(): void {
    for (let g = 0; g < this.messages; g++) {
      if (this.acked[g] && !this.consumed[g])
        this.record(
          'lostAcknowledged',
          `${this.wamids[g]} (session ${this.sessionOf[g]}, message ${g - this.offsets[this.sessionOf[g]!]!}) acknowledged, never in a committed turn`,
        );
    }
  }

  /** Turns of a session that overlap in time, or consumed its messages out of order. */
  checkTurns(): void {
    for (const [s, list] of this.turns) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 1; i < list.length; i++) {
        const [prev, cur] = [list[i - 1]!, list[i]!];
        if (cur.start < prev.end)
          this.record(
            'overlappingTurns',
            `session ${s}: turn ${cur.turn} started ${prev.end - cur.start} ms before turn ${prev.turn} ended`,
          );
        if (cur.first <= prev.last)
          this.record(
            'orderViolations',
            `session ${s}: turn ${cur.turn} consumed ${this.wamids[cur.first]} after turn ${prev.turn} consumed ${this.wamids[prev.last]}`,
          );
      }
    }
  }

  get totalViolations(): number {
    return Object.values(this.violations).reduce((n, v) => n + v.count, 0);
  }
}
