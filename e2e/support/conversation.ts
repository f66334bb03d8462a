import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  content,
  DEFAULT_BUSINESS,
  inbound,
  webhookBody,
  type InboundContent,
  type SentRecord,
  type SimUser,
} from '@medcita/testkit/simulator';
import { DEFAULT_CLINIC_KEY_PREFIX, DEFAULT_KEY_PREFIX, fleetKeys } from '@medcita/shared';
import { BuiltinClinic, loadSeedFile } from '../../workers/src/clinic/index.js';
import { TestStack, waitUntil } from './test-stack.js';

/** A reply as the patient sees it: text, buttons or list rows. */
export interface SeenReply {
  kind: 'text' | 'buttons' | 'list' | 'location' | 'other';
  body: string;
  buttons: { id: string; title: string }[];
  rows: { id: string; title: string; description?: string }[];
}

export function seen(record: SentRecord): SeenReply {
  const p = record.payload as Record<string, any>;
  if (p.type === 'text') return { kind: 'text', body: p.text?.body ?? '', buttons: [], rows: [] };
  if (p.type === 'interactive') {
    const i = p.interactive;
    const body = i?.body?.text ?? '';
    if (i?.type === 'button') {
      return { kind: 'buttons', body, buttons: (i.action?.buttons ?? []).map((b: any) => b.reply), rows: [] };
    }
    if (i?.type === 'list') {
      const rows = (i.action?.sections ?? []).flatMap((s: any) => s.rows ?? []);
      return { kind: 'list', body, buttons: [], rows };
    }
  }
  if (p.type === 'location') {
    return { kind: 'location', body: [p.location?.name, p.location?.address].filter(Boolean).join('\n'), buttons: [], rows: [] };
  }
  return { kind: 'other', body: JSON.stringify(p), buttons: [], rows: [] };
}

/**
 * One patient talking to the whole pipeline. `say`/`tap`/`send` post a signed
 * webhook and resolve with the replies of the turns that handled it, once the
 * turn journal shows them committed (the runner journals after sending).
 */
export class Conversation {
  private readBefore = 0;

  constructor(
    readonly stack: TestStack,
    readonly user: SimUser,
  ) {}

  get sessionKey(): string {
    return `${DEFAULT_BUSINESS.phoneNumberId}:${this.user.userId ?? this.user.waId}`;
  }

  /** Everything this user received so far. */
  all(): SeenReply[] {
    const to = this.user.waId ?? this.user.userId!;
    return this.stack.graph.sent.filter((s) => s.to === to).map(seen);
  }

  say(text: string): Promise<SeenReply[]> {
    return this.send(content.text(text));
  }

  /** Taps a reply button or list row the bot sent. */
  tap(reply: { id: string; title: string }, as: 'button' | 'list' = 'button'): Promise<SeenReply[]> {
    return this.send(as === 'button' ? content.buttonReply(reply.id, reply.title) : content.listReply(reply.id, reply.title));
  }

  /** Posts several messages in one webhook (rapid fire) and waits until all were handled. */
  async send(...items: InboundContent[]): Promise<SeenReply[]> {
    const messages = items.map((c) => inbound(this.user, c, { id: `wamid.test-${randomUUID()}` }));
    const ids = messages.map((m) => m.message.id);
    const { status } = await this.stack.webhook.post(webhookBody(messages));
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    await waitUntil(async () => (await this.handled(ids)) >= ids.length, 20_000, `turns of ${ids.join(',')}`);
    const all = this.all();
    const fresh = all.slice(this.readBefore);
    this.readBefore = all.length;
    return fresh;
  }

  private async handled(ids: string[]): Promise<number> {
    const audit = await this.stack.redis.xrange(fleetKeys(DEFAULT_KEY_PREFIX).audit, '-', '+');
    let count = 0;
    for (const [, fields] of audit) {
      const turn = fields[fields.indexOf('turn') + 1];
      if (turn && ids.includes(turn)) count += Number(fields[fields.indexOf('messages') + 1]);
    }
    return count;
  }
}

/** The whole text a set of replies shows (bodies, button titles, row titles). */
export function textOf(replies: SeenReply[]): string {
  return replies
    .map((r) => [r.body, ...r.buttons.map((b) => b.title), ...r.rows.map((x) => `${x.title} ${x.description ?? ''}`)].join('\n'))
    .join('\n---\n');
}

export function lastList(replies: SeenReply[]): SeenReply {
  const list = [...replies].reverse().find((r) => r.kind === 'list');
  if (!list) throw new Error(`no list among replies:\n${textOf(replies)}`);
  return list;
}

export function lastButtons(replies: SeenReply[]): SeenReply {
  const b = [...replies].reverse().find((r) => r.kind === 'buttons');
  if (!b) throw new Error(`no buttons among replies:\n${textOf(replies)}`);
  return b;
}

export interface TestPatient {
  id: string;
  documentNumber: string;
  firstName: string;
  phone: string;
  birthDate: string;
}

/**
 * Writes a clinic seed file: the demo clinics plus one invented patient per
 * given phone (document 8000000 + i, born 1990-01-01). Pass it as CLINIC_SEED_FILE.
 */
export function seedWithPatients(phones: string[]): { file: string; patients: TestPatient[] } {
  const seed = loadSeedFile();
  const patients = phones.map((phone, i) => ({
    id: `pac-e2e-${String(i).padStart(3, '0')}`,
    documentNumber: String(8_000_000 + i),
    firstName: `Paciente${i}`,
    lastName: 'De Prueba',
    phone,
    birthDate: '1990-01-01',
  }));
  const dir = mkdtempSync(path.join(tmpdir(), 'medcita-seed-'));
  const file = path.join(dir, 'clinics.json');
  writeFileSync(file, JSON.stringify({ ...seed, patients: [...seed.patients, ...patients] }));
  return { file, patients };
}

/** The builtin clinic store the workers of `stack` use, to read and arrange its records from a test. */
export function seededClinic(stack: TestStack, seedFile: string, keyPrefix = DEFAULT_CLINIC_KEY_PREFIX): BuiltinClinic {
  return new BuiltinClinic({ redis: stack.redis, seed: loadSeedFile(seedFile), keyPrefix, timeZone: 'America/La_Paz' });
}

/**
 * Starts, for the enclosing describe block, a stack of two dialog workers on a
 * seeded clinic, and stops it afterwards. Read the fields inside tests.
 */
export function useDialogStack(seedFile: string): { readonly stack: TestStack; readonly clinic: BuiltinClinic } {
  const ctx = {} as { stack: TestStack; clinic: BuiltinClinic };
  beforeAll(async () => {
    ctx.stack = await TestStack.start({ workers: 2, workerEnv: dialogWorkerEnv(seedFile) });
    ctx.clinic = seededClinic(ctx.stack, seedFile);
  });
  afterAll(async () => {
    await ctx.stack?.stop();
  });
  return ctx;
}

/** Worker environment for scripted dialog conversations against a seeded clinic. */
export function dialogWorkerEnv(seedFile: string): Record<string, string> {
  return {
    TURN_HANDLER: 'dialog',
    CLINIC_SEED_FILE: seedFile,
    // Scripts type faster than people; the per-session flood guard is not under test here.
    SESSION_RATE_LIMIT_PER_MINUTE: '0',
  };
}
