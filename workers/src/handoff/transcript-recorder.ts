import type { InboxEntry, OutboundMessage, TranscriptLine, TranscriptStore, TranscriptText } from '@medcita/shared';
import type { HandoffSightings } from './handoff-sightings.js';

/** One turn as the transcript sees it. */
export interface TranscriptTurn {
  sessionKey: string;
  turnId: string;
  entries: InboxEntry[];
  replies: OutboundMessage[];
  now: number;
}

/**
 * The runner's view: a turn's lines, which its commit stores (retries store
 * them once, a commit that lost its lock none), then word of what it added.
 */
export interface TurnTranscript {
  /** Undefined when nothing is kept. */
  text(turn: TranscriptTurn): Promise<TranscriptText | undefined>;
  /** The commit added lines to the session's handoff transcript. */
  added(sessionKey: string): Promise<void>;
}

/** What an operator reads for an outbound message: its text, or for interactive ones the body and choices. */
export function outboundText(m: OutboundMessage): string {
  switch (m.kind) {
    case 'text':
      return m.body;
    case 'buttons':
      return `${m.body}\n[${m.buttons.map((b) => b.title).join('] [')}]`;
    case 'list':
      return `${m.body}\n${m.sections.flatMap((s) => s.rows.map((r) => `• ${r.title}${r.description ? ` (${r.description})` : ''}`)).join('\n')}`;
    case 'template':
      return `Plantilla «${m.name}»`;
    case 'location':
      return `📍 ${[m.name, m.address].filter(Boolean).join(', ') || 'Ubicación'}`;
  }
}

export function turnLines(turn: { turnId: string; entries: InboxEntry[]; replies: OutboundMessage[]; now: number }): TranscriptLine[] {
  return [
    ...turn.entries.map((e): TranscriptLine => ({
      id: e.message.wamid,
      dir: 'in',
      kind: e.message.kind,
      // Media are shown by kind; a caption or a tapped button's title is text the patient chose to send.
      ...(e.message.text ? { text: e.message.text } : {}),
      at: e.message.timestamp * 1000,
    })),
    ...turn.replies.map((r, i): TranscriptLine => ({
      id: `${turn.turnId}:${i}`,
      dir: 'out',
      kind: r.kind,
      text: outboundText(r),
      at: turn.now,
    })),
  ];
}

/**
 * Keeps the text operators need: every turn goes into the session's short
 * rolling context, and while the session is handed off also into its
 * transcript (then the inbox pages are told something changed). The turn's
 * commit writes the lines (SessionTurns.commit).
 */
export class HandoffTranscriptRecorder implements TurnTranscript {
  constructor(
    private readonly transcripts: TranscriptStore,
    private readonly handoff: { isFlagged(sessionKey: string): Promise<boolean>; bump(): Promise<void> },
    /** What the dialog saw of the flag this turn (handoff-sightings.ts); absent or silent: the flag is read here. */
    private readonly sightings?: HandoffSightings,
  ) {}

  async text(turn: TranscriptTurn): Promise<TranscriptText | undefined> {
    const handedOff = this.sightings?.take(turn.sessionKey, turn) ?? (await this.handoff.isFlagged(turn.sessionKey));
    return this.transcripts.text(turnLines(turn), handedOff);
  }

  // The inbox's version counter is fleet-wide (another cluster slot than the session's), so not part of the commit.
  async added(): Promise<void> {
    await this.handoff.bump();
  }
}
