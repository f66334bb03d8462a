/** One attempt at a turn, named the same to the turn handler and the transcript recorder: its batch and its start. */
export interface TurnTag {
  turnId: string;
  now: number;
}

// Sightings are taken at the end of their turn; only a turn that failed in between leaves one behind.
const MAX_SIGHTINGS = 10_000;

/**
 * What this process learnt of a session's handoff flag during the turn in
 * progress, so the flag is read once per turn: the dialog reads it at the
 * start (OperatorHandoff.noteFlag), a handoff the turn makes sets it, and
 * the transcript recorder takes it at the end instead of reading it again.
 *
 * Only this turn's own handoff can set the flag between the two points
 * (turns of a session never overlap, and operators can only take or release
 * a flag the bot set). A release or timeout in between is not seen: the
 * lines of a turn the bot kept silent on still go into the transcript, which
 * is where a handed-off turn's lines belong (docs/dialog.md, Human handoff).
 * (Nor is a handoff made meanwhile by an attempt that lost the session's
 * lock, whose commit then fails: rare, and it only keeps that turn's lines
 * out of the transcript.) A recorder that finds no sighting of its own turn
 * (the handler did not run, or another attempt ran here) reads the flag itself.
 */
export class HandoffSightings {
  private readonly seen = new Map<string, TurnTag & { flagged: boolean }>();

  note(sessionKey: string, turn: TurnTag, flagged: boolean): void {
    this.seen.delete(sessionKey);
    if (this.seen.size >= MAX_SIGHTINGS) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(sessionKey, { turnId: turn.turnId, now: turn.now, flagged });
  }

  /** The turn in progress flagged the session. */
  flagged(sessionKey: string): void {
    const sighting = this.seen.get(sessionKey);
    if (sighting) sighting.flagged = true;
  }

  /** Whether the session is handed off as of this turn, if this process saw it; forgets it. */
  take(sessionKey: string, turn: TurnTag): boolean | undefined {
    const sighting = this.seen.get(sessionKey);
    if (!sighting || sighting.turnId !== turn.turnId || sighting.now !== turn.now) return undefined;
    this.seen.delete(sessionKey);
    return sighting.flagged;
  }
}
