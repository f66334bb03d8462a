import { ClinicRequestError, ClinicUnavailableError } from '../clinic/index.js';
import { LogEvent, sessionHash, type OutboundMessage } from '@medcita/shared';
import type { TurnHandler, TurnInput, TurnOutput } from '../pipeline/ports.js';
import type { ActionContext, DialogDeps } from './actions/action-context.js';
import type { EventName } from './dialog-event.js';
import { reminderReply } from './reminder-reply.js';
import { interpretWithPeople } from './person-event.js';
import { INITIAL_STATE, loadDialogState, saveDialogState, type DialogState } from './dialog-state.js';
import { mergeReplies } from './merge-replies.js';
import { ClinicDateFormatter } from './locale/dates.js';
import { ClinicDirectory } from './preferences/clinic-directory.js';
import { transitionFor } from './transitions.js';
import { keepPendingCancels, settleOutstanding } from './actions/booking-outcome.js';

/** What a turn of the dialog reads before anything else. */
export interface DialogReads {
  flagged: boolean;
  /** The appointment the session was last reminded of (reminderReply). */
  pendingReminder: string | null;
}

/**
 * The appointment dialog (docs/dialog.md): per turn, checks handoff and expiry, then
 * runs each message of the batch through the transition table in order and
 * sends the combined replies. Clinic outages become a polite "try later" with
 * the state of before that message, never a throw (a throw retries the turn).
 */
export class DialogTurnHandler implements TurnHandler<DialogReads> {
  private readonly deps: ActionContext['deps'];

  constructor(deps: DialogDeps) {
    this.deps = {
      ...deps,
      formatter: deps.formatter ?? new ClinicDateFormatter(deps.options.timeZone),
      directory: deps.directory ?? new ClinicDirectory(deps.clinic, deps.logger ? { logger: deps.logger } : {}),
    };
  }

  /** Independent reads, in flight together; the runner sends them with the open of the batch (TurnHandler.prefetch). */
  async prefetch(sessionKey: string): Promise<DialogReads> {
    const [flagged, pendingReminder] = await Promise.all([
      this.deps.handoff.isFlagged(sessionKey),
      this.deps.reminders?.pendingFor(sessionKey).catch(() => null) ?? null,
    ]);
    return { flagged, pendingReminder };
  }

  async handle(input: TurnInput, prefetched?: Promise<DialogReads>): Promise<TurnOutput> {
    const { texts, handoff, options } = this.deps;
    const saved = loadDialogState(input.state);
    const { flagged: found, pendingReminder } = await (prefetched ?? this.prefetch(input.sessionKey));
    // A prefetched flag may have been read just before the open took the session lock (Redis
    // Cluster, an open reloaded after NOSCRIPT): a handoff that a turn of this session made and
    // committed in between would be missed, and the bot would talk over the operator. Such a turn
    // saved `handedOff` under that lock, so a flag found clear then is read again (once per
    // handoff, the turn after its release). Operators' takes and releases are not ordered by the
    // lock at all, prefetched or not (docs/architecture.md, "The handler's first reads").
    const flagged = prefetched && !found && saved?.handedOff ? await handoff.isFlagged(input.sessionKey) : found;
    handoff.noteFlag?.(input.sessionKey, { turnId: input.turnId, now: input.now }, flagged);
    if (flagged) {
      // A person is on it: stay silent, keep the state as it was.
      return { state: saveDialogState(saved ?? INITIAL_STATE), replies: [], audit: { dialog: 'handoff-silent' } };
    }
    const out: OutboundMessage[] = [];
    const said = new Set<string>();
    let state = saved ?? INITIAL_STATE;

    // A reply to a reminder carries its own context: no "session expired" notice before it.
    const first = input.entries[0];
    const answersReminder = first !== undefined && reminderReply(first, INITIAL_STATE, pendingReminder) !== undefined;
    const idleMs = input.now - Number(input.state.updatedAt ?? input.now);
    // A booking whose outcome is unknown is settled first, however long the patient was away.
    if (saved && saved.step !== 'INICIAL' && !saved.bookingUnknown && idleMs > options.sessionTtlSeconds * 1000) {
      if (!answersReminder) out.push({ kind: 'text', body: texts.expired });
      await this.releaseHold(state, undefined, input);
      // The conversation starts over; a cancel a reschedule still owes does not.
      state = { ...INITIAL_STATE, ...keepPendingCancels(saved) };
    } else if (saved?.handedOff) {
      // Released by an operator (or timed out): greet again, then carry on.
      out.push({ kind: 'text', body: texts.greetingAgain(saved.patient?.firstName.split(' ')[0]) });
      said.add('greeting');
      state = { ...saved, handedOff: undefined };
    } else if (!saved) {
      out.push({ kind: 'text', body: texts.greeting() });
      said.add('greeting');
    }

    const events: EventName[] = [];
    for (const [index, entry] of input.entries.entries()) {
      const directory = await this.deps.directory.get();
      const event = await interpretWithPeople(entry, state, {
        nlu: this.deps.nlu,
        formatter: this.deps.formatter,
        now: input.now,
        pendingReminder,
        directory,
      });
      events.push(event.name);
      const actionCtx: ActionContext = {
        deps: this.deps,
        event,
        input,
        holderId: sessionHash(input.sessionKey),
        attemptId: `${input.turnId}:${index}`,
        out,
        said,
        resume: (from, name) => {
          const ctx = { ...actionCtx, event: { ...event, name } };
          return transitionFor(from.step, name).action(from, ctx);
        },
      };
      try {
        if (index === 0) {
          const settled = await settleOutstanding(state, actionCtx);
          state = settled.state;
          if (settled.consumed) continue;
        }
        const transition = transitionFor(state.step, event.name);
        const next = await transition.action(state, actionCtx);
        if (!transition.next.includes(next.step)) {
          // The table is the documentation; an action leaving it is a bug to fix in one or the other.
          this.deps.logger?.warn({ from: state.step, event: event.name, to: next.step }, LogEvent.TransitionNotInTable);
        }
        await this.releaseHold(state, next, input);
        // Owed cancels outlive whatever the action made of the state (most actions rebuild it from scratch).
        state = { ...countMisses(state, next, event.name), ...(next.pendingCancels ? {} : keepPendingCancels(state)) };
      } catch (err) {
        if (!(err instanceof ClinicUnavailableError || err instanceof ClinicRequestError)) throw err;
        this.deps.logger?.warn({ err: err.message, code: err.code }, 'dialog: clinic unavailable, state kept');
        out.push({ kind: 'text', body: texts.unavailable });
        break;
      }
      if (state.handedOff) break;
    }
    return {
      state: saveDialogState(state),
      replies: mergeReplies(out),
      audit: { from: (saved ?? INITIAL_STATE).step, to: state.step, events: events.join(',') },
    };
  }

  /** A hold the new state no longer carries is released at once rather than left to expire. */
  private async releaseHold(before: DialogState, after: DialogState | undefined, input: TurnInput): Promise<void> {
    if (!before.held || after?.held?.id === before.held.id || after?.step === 'CITA_AGENDADA') return;
    await this.deps.clinic
      .releaseHold(before.held.id, sessionHash(input.sessionKey))
      .catch((err) => this.deps.logger?.warn({ err: (err as Error).message }, 'dialog: hold release failed; it will expire'));
  }
}

/**
 * Misunderstandings in a row (two → the dialog offers a person). Any other
 * event resets the count; an offer of a person lasts one message.
 */
function countMisses(before: DialogState, next: DialogState, event: EventName): DialogState {
  const { misses: _misses, offeredHuman, ...rest } = next;
  if (event === 'unclear') return { ...rest, misses: (before.misses ?? 0) + 1, ...(offeredHuman && { offeredHuman }) };
  return rest;
}
