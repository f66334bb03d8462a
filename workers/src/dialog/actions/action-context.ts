import type { HandoffDetails, Logger, OutboundMessage } from '@medcita/shared';
import type { ClinicPort } from '../../clinic/index.js';
import type { Nlu } from '../../nlu/index.js';
import type { TurnInput } from '../../pipeline/ports.js';
import type { DialogEvent, EventName } from '../dialog-event.js';
import type { DialogState, Goal } from '../dialog-state.js';
import type { IdentityLimiter } from '../identity-guard.js';
import type { DialogTexts } from '../locale/es.js';
import type { OwedCancelPort } from '../owed-cancel-port.js';
import type { OwnerAlertPort } from '../owner-alert-port.js';
import type { ReminderPort } from '../reminder-port.js';
import type { ClinicDateFormatter } from '../locale/dates.js';
import type { ClinicDirectory } from '../preferences/clinic-directory.js';

/** What the dialog needs of the handoff store (shared/src/handoff: HandoffStore). */
export interface HandoffPort {
  isFlagged(sessionKey: string): Promise<boolean>;
  /** What the turn `turn` found at its start, so the transcript recorder can reuse it (workers/src/handoff/handoff-sightings.ts). */
  noteFlag?(sessionKey: string, turn: { turnId: string; now: number }, flagged: boolean): void;
  /** `reason`: one of HandoffReason (shared/src/handoff); `details` are shown to the operator. */
  flag(sessionKey: string, reason: string, details?: HandoffDetails): Promise<boolean>;
}

export interface DialogOptions {
  /** Idle time after which the conversation starts over. */
  sessionTtlSeconds: number;
  /** How long a picked slot stays held while the patient confirms. */
  holdSeconds: number;
  /** IANA zone the clinics' dates are shown in. */
  timeZone: string;
  /** Slots per list page; one row is kept for "Ver más" (WhatsApp lists hold 10 rows). */
  pageSize?: number;
  /** The data-processing notice a first-time patient accepts (REGISTRATION_CONSENT_TEXT); default in the locale. */
  consentText?: string;
}

export interface DialogDeps {
  nlu: Nlu;
  clinic: ClinicPort;
  handoff: HandoffPort;
  identity: IdentityLimiter;
  texts: DialogTexts;
  options: DialogOptions;
  logger?: Logger;
  formatter?: ClinicDateFormatter;
  /** Reminders sent to patients (their button replies name an appointment); absent when reminders are off. */
  reminders?: ReminderPort;
  /** Tells a registered phone its document was tried from another number; absent: nobody is told. */
  ownerAlerts?: OwnerAlertPort;
  /** Retries in the background a reschedule's cancel the clinic did not answer; absent: only the patient's later turns retry it. */
  owedCancels?: OwedCancelPort;
  /** Clinic information, cached; built from `clinic` when absent. */
  directory?: ClinicDirectory;
}

/** One message being handled: the event, who sends it, and where replies go. */
export interface ActionContext {
  deps: DialogDeps & { formatter: ClinicDateFormatter; directory: ClinicDirectory };
  event: DialogEvent;
  input: TurnInput;
  /** sessionHash(sessionKey): the clinic's hold owner, never the raw phone. */
  holderId: string;
  /** Unique per message of the turn and stable across retries (idempotency keys). */
  attemptId: string;
  out: OutboundMessage[];
  /** Prompts already sent this turn, so rapid-fire messages get one greeting, one "your document?". */
  said: Set<string>;
  /**
   * Runs `event` (this message, renamed) from `state` through the transition
   * table: how an action hands over to another flow (a goal resumed after
   * identification) without importing its actions.
   */
  resume(state: DialogState, event: EventName): Promise<DialogState>;
}

export type Action = (state: DialogState, ctx: ActionContext) => Promise<DialogState>;

export function say(ctx: ActionContext, body: string): void {
  ctx.out.push({ kind: 'text', body });
}

/** Says `body` unless a prompt of the same `kind` already went out this turn. */
export function sayOnce(ctx: ActionContext, kind: string, body: string): void {
  if (ctx.said.has(kind)) return;
  ctx.said.add(kind);
  say(ctx, body);
}

/**
 * Says `body` once per turn for `kind`; a later call replaces the text said
 * earlier, so the last (most specific) version of a prompt is the one sent.
 */
export function sayLatest(ctx: ActionContext, kind: string, body: string): void {
  const at = ctx.out.findIndex((m) => m.kind === 'text' && (m as { prompt?: string }).prompt === kind);
  const message = { kind: 'text' as const, body };
  Object.defineProperty(message, 'prompt', { value: kind, enumerable: false });
  ctx.said.add(kind);
  if (at >= 0) ctx.out[at] = message;
  else ctx.out.push(message);
}

/** The main menu as reply buttons (ids are intent names, which the NLU reads directly). */
export function menuButtons(ctx: ActionContext, body: string): void {
  const b = ctx.deps.texts.buttons;
  ctx.out.push({
    kind: 'buttons',
    body,
    buttons: [
      { id: 'book_appointment', title: b.book },
      { id: 'list_appointments', title: b.list },
      { id: 'cancel_appointment', title: b.cancel },
    ],
  });
}

/** The goal to resume after identification, if the event carried one. */
export function goalOf(event: DialogEvent): Goal | undefined {
  switch (event.name) {
    case 'book':
    case 'specialty':
    case 'symptoms':
    case 'prefer':
      return 'book';
    case 'cancel':
      return 'cancel';
    case 'list':
      return 'list';
    case 'reschedule':
      return 'reschedule';
    default:
      return undefined;
  }
}

export function firstName(state: DialogState): string | undefined {
  return state.patient?.firstName.split(' ')[0];
}
