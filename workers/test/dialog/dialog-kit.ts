import { randomUUID } from 'node:crypto';
import { LogEvent, HandoffStore, type InboxEntry, type OutboundMessage, type TurnState } from '@medcita/shared';
import { BuiltinClinic, ClinicUnavailableError, type ClinicPort } from '../../src/clinic/index.js';
import { DialogTurnHandler, es, IdentityGuard, type HandoffPort } from '../../src/dialog/index.js';
import type { ReminderPort } from '../../src/dialog/reminder-port.js';
import type { OwedCancelPort } from '../../src/dialog/owed-cancel-port.js';
import type { OwnerAlertPort } from '../../src/dialog/owner-alert-port.js';
import { createNlu, type Nlu, type NluResult } from '../../src/nlu/index.js';
import { capturingLogger } from '../nlu/helpers.js';
import { connectTestRedis, deleteKeys, FIXED_NOW, fixedClock, testSeed } from '../clinic/clinic-test-kit.js';

export const redis = connectTestRedis();
export const PHONE_NUMBER_ID = '106540352242922';

let realNlu: Promise<Nlu> | undefined;

/** The real NLU, except for texts given an explicit reading (to play a hesitant classifier). */
export function scriptedNlu(overrides: Record<string, Partial<NluResult>> = {}): Nlu {
  realNlu ??= createNlu({ minConfidence: 0.55, minSpecialtyConfidence: 0.5 }, capturingLogger().logger);
  return {
    ready: true,
    async understand(text, ctx) {
      const result = await (await realNlu!).understand(text, ctx);
      return overrides[text] ? { ...result, ...overrides[text] } : result;
    },
    async close() {},
  };
}

/** Per port method: what to play instead of (or around) the real call; the real builtin store stays the source of truth. */
export type Faults = Partial<Record<keyof ClinicPort, (call: () => Promise<unknown>, args: unknown[]) => Promise<unknown>>>;

export function faulty(faults: Faults): (c: ClinicPort) => ClinicPort {
  return (c) =>
    new Proxy(c, {
      get(target, prop: keyof ClinicPort) {
        const value: unknown = Reflect.get(target, prop);
        const fault = faults[prop];
        if (typeof value !== 'function' || !fault) return value;
        return (...args: unknown[]) => fault(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), args);
      },
    });
}

export const timeout = (): never => {
  throw new ClinicUnavailableError('timeout', 'test: no answer in time');
};

export interface Harness {
  handler: DialogTurnHandler;
  clinic: ClinicPort;
  handoff: HandoffStore;
  /** Transitions an action took that the table does not list (should stay empty). */
  offTable(): Array<Record<string, unknown>>;
  prefix: string;
  cleanup(): Promise<void>;
}

/** A dialog over a builtin clinic at a fixed Monday 08:00 (La Paz), on real Redis under a unique prefix. */
export async function openDialog(
  opts: {
    nlu?: Nlu;
    clinic?: (c: ClinicPort) => ClinicPort;
    ownerAlerts?: OwnerAlertPort;
    /** The dialog's handoff port over the harness's store (default: the store itself). */
    handoffPort?: (store: HandoffStore, prefix: string) => HandoffPort;
    reminders?: ReminderPort;
    /** Built over the dialog's clinic (faults included) and the harness's prefix. */
    owedCancels?: (clinic: ClinicPort, prefix: string) => OwedCancelPort;
  } = {},
): Promise<Harness> {
  const prefix = `test:{dialog-${randomUUID()}}`;
  const builtin = new BuiltinClinic({ redis, seed: testSeed(5), keyPrefix: prefix, timeZone: 'America/La_Paz', clock: fixedClock });
  const clinic = opts.clinic ? opts.clinic(builtin) : builtin;
  const handoff = new HandoffStore(redis, { keyPrefix: prefix, timeoutSeconds: 3600 });
  const { logger, lines } = capturingLogger();
  const handler = new DialogTurnHandler({
    nlu: opts.nlu ?? scriptedNlu(),
    clinic,
    handoff: opts.handoffPort ? opts.handoffPort(handoff, prefix) : handoff,
    ...(opts.reminders ? { reminders: opts.reminders } : {}),
    identity: new IdentityGuard(redis, { keyPrefix: prefix, maxFailures: 3, windowSeconds: 3600, digestKey: 'dialog-test-digest-key' }),
    ...(opts.ownerAlerts ? { ownerAlerts: opts.ownerAlerts } : {}),
    ...(opts.owedCancels ? { owedCancels: opts.owedCancels(clinic, prefix) } : {}),
    texts: es,
    logger,
    options: {
      sessionTtlSeconds: 1800,
      holdSeconds: 300,
      timeZone: 'America/La_Paz',
    },
  });
  return {
    handler,
    clinic: builtin,
    handoff,
    offTable: () => lines.filter((l) => l.msg === LogEvent.TransitionNotInTable),
    prefix,
    cleanup: () => deleteKeys(redis, prefix),
  };
}

export type Msg = string | { replyId: string; title: string } | { kind: 'image' };

/** A patient session driven turn by turn, as the pipeline runner would (state saved between turns). */
export class Session {
  state: TurnState = {};
  now = FIXED_NOW;
  private n = 0;
  readonly sessionKey: string;

  constructor(
    private readonly h: Harness,
    readonly waId = '59170000001',
  ) {
    this.sessionKey = `${PHONE_NUMBER_ID}:${waId}`;
  }

  /** One turn with these messages (several = rapid fire); returns what the patient receives. */
  async send(...messages: Msg[]): Promise<OutboundMessage[]> {
    const address = { phoneNumberId: PHONE_NUMBER_ID, waId: this.waId };
    const entries: InboxEntry[] = messages.map((m) => {
      const wamid = `wamid.${this.sessionKey}.${++this.n}`;
      const base = { wamid, timestamp: Math.floor(this.now / 1000) };
      const message =
        typeof m === 'string'
          ? { ...base, kind: 'text' as const, rawType: 'text', text: m }
          : 'replyId' in m
            ? { ...base, kind: 'interactive' as const, rawType: 'interactive', text: m.title, replyId: m.replyId }
            : { ...base, kind: 'image' as const, rawType: 'image' };
      return { address, message, acceptedAt: this.now };
    });
    const out = await this.h.handler.handle({
      sessionKey: this.sessionKey,
      address,
      entries,
      state: this.state,
      turnId: entries[0]!.message.wamid,
      now: this.now,
    });
    this.state = { ...out.state, updatedAt: String(this.now) };
    this.now += 1000;
    return out.replies;
  }
}

export function texts(replies: OutboundMessage[]): string {
  return replies
    .map((r) =>
      r.kind === 'text'
        ? r.body
        : r.kind === 'buttons'
          ? [r.body, ...r.buttons.map((b) => `[${b.title}]`)].join('\n')
          : r.kind === 'list'
            ? [r.body, ...r.sections.flatMap((s) => s.rows.map((x) => `${x.id} ${x.title} | ${x.description ?? ''}`))].join('\n')
            : r.name,
    )
    .join('\n---\n');
}

export function list(replies: OutboundMessage[]) {
  const l = replies.find((r) => r.kind === 'list');
  if (!l || l.kind !== 'list') throw new Error(`no list in:\n${texts(replies)}`);
  return l.sections.flatMap((s) => s.rows);
}

/** María books the second cardiology slot, then reschedules it to the first: the old appointment's id and the final reply. */
export async function reschedule(h: Harness, s: Session): Promise<{ oldId: string; reply: string }> {
  await s.send('1234567');
  list(await s.send('cardiología'));
  await s.send('la 2');
  await s.send('sí');
  const [old] = await h.clinic.listAppointments('pac-001');
  await s.send('quiero reprogramar mi cita');
  await s.send('la 1');
  return { oldId: old!.id, reply: texts(await s.send('sí')) };
}
