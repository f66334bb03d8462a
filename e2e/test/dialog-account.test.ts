/**
 * docs/dialog.md through real processes: appointments, identity and handoff conversations
 * through the whole pipeline, asserting on what the patient receives.
 */
import { LogEvent, HandoffStore } from '@medcita/shared';
import { simUser } from '@medcita/testkit/simulator';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { handoffRoutes } from '../../ingress/src/routes/handoff.js';
import { Conversation, lastButtons, lastList, seedWithPatients, textOf, dialogWorkerEnv } from '../support/conversation.js';
import { TestStack } from '../support/test-stack.js';

const users = Array.from({ length: 7 }, (_, i) => simUser(4200 + i));
const seed = seedWithPatients(users.map((u) => u.waId!));

async function bookOne(chat: Conversation, specialty: string, pick: number): Promise<string> {
  const slots = lastList(await chat.say(specialty));
  const row = slots.rows[pick - 1]!;
  const confirm = lastButtons(await chat.tap(row, 'list'));
  expect(textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó agendada/);
  return row.title;
}

describe('appointments, identity and handoff', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ workers: 2, workerEnv: dialogWorkerEnv(seed.file) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists appointments and cancels one of two, keeping the other', async () => {
    const chat = new Conversation(stack, users[0]!);
    await chat.say(seed.patients[0]!.documentNumber);
    const cardio = await bookOne(chat, 'cardiología', 1);
    const derma = await bookOne(chat, 'dermatología', 2);

    const listed = textOf(await chat.tap({ id: 'list_appointments', title: 'Mis citas' }));
    expect(listed).toContain(cardio);
    expect(listed).toContain(derma);

    const which = lastList(await chat.tap({ id: 'cancel_appointment', title: 'Cancelar cita' }));
    expect(which.rows).toHaveLength(2);
    const dermaRow = which.rows.find((r) => r.title === derma)!;
    const sure = lastButtons(await chat.tap(dermaRow, 'list'));
    expect(sure.body).toMatch(/Dermatología/);
    expect(textOf(await chat.tap(sure.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó cancelada/);

    const after = textOf(await chat.tap({ id: 'list_appointments', title: 'Mis citas' }));
    expect(after).toContain(cardio);
    expect(after).not.toContain(derma);
  });

  it('reschedules: a new slot of the same specialty is booked, then the old appointment goes', async () => {
    const chat = new Conversation(stack, users[1]!);
    await chat.say(seed.patients[1]!.documentNumber);
    const old = await bookOne(chat, 'pediatría', 1);
    const slots = lastList(await chat.tap({ id: 'reschedule_appointment', title: 'Cambiar cita' }));
    expect(slots.body).toMatch(/Pediatría/);
    const confirm = lastButtons(await chat.tap(slots.rows[2]!, 'list'));
    const done = textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!));
    expect(done).toMatch(/quedó agendada/);
    expect(done).toMatch(/cancelé tu cita anterior/);
    const listed = textOf(await chat.tap({ id: 'list_appointments', title: 'Mis citas' }));
    expect(listed).toContain(slots.rows[2]!.title);
    expect(listed).not.toContain(old);
  });

  it('a wrong document three times locks identification, without telling whether documents exist', async () => {
    const chat = new Conversation(stack, users[2]!);
    const replies: string[] = [];
    for (const doc of ['5550001', '5550002', '5550003']) {
      replies.push(textOf(await chat.say(doc)));
      replies.push(textOf(await chat.say('01/01/1990')));
    }
    expect(replies[0]).toMatch(/fecha de nacimiento/);
    expect(replies[1]).toMatch(/No pude verificar/);
    expect(replies[5]).toMatch(/pausé la verificación/);
    // Even the right document from the right phone waits out the lock now.
    const locked = textOf(await chat.say(seed.patients[2]!.documentNumber));
    expect(locked).toMatch(/pausé la verificación/);
    expect(locked).not.toContain(seed.patients[2]!.firstName);
  });

  it("another person's document from a wrong phone: same answers as a wrong document, nothing shown", async () => {
    const stranger = new Conversation(stack, simUser(4299));
    const victim = seed.patients[3]!;
    const asked = textOf(await stranger.say(victim.documentNumber));
    const unknown = new Conversation(stack, simUser(4298));
    expect(textOf(await unknown.say('5559999'))).toBe(asked);
    const denied = textOf(await stranger.say('02/02/1980'));
    // Neither phone is on file: both get the registration offer, word for word (docs/dialog.md, First visit).
    expect(textOf(await unknown.say('02/02/1980'))).toBe(denied);
    expect(denied).toMatch(/No encontré tus datos/);
    expect(denied).not.toContain(victim.firstName);
    const list = textOf(await stranger.tap({ id: 'list_appointments', title: 'Mis citas' }));
    expect(list).toMatch(/número de documento/);
    expect(list).not.toContain(victim.firstName);
  });

  it('failures add up per document across phones: after five, a sixth phone is held back even with the right date, the owner is not', async () => {
    const owner = seed.patients[6]!;
    for (let i = 0; i < 5; i++) {
      const stranger = new Conversation(stack, simUser(4400 + i));
      expect(textOf(await stranger.say(owner.documentNumber))).toMatch(/fecha de nacimiento/);
      expect(textOf(await stranger.say('02/02/1980'))).not.toContain(owner.firstName);
    }
    const sixth = new Conversation(stack, simUser(4410));
    expect(textOf(await sixth.say(owner.documentNumber))).toMatch(/pausé la verificación/);
    expect(textOf(await sixth.say(owner.birthDate.split('-').reverse().join('/')))).not.toContain(owner.firstName);
    expect(textOf(await new Conversation(stack, users[6]!).say(owner.documentNumber))).toContain(`Gracias, ${owner.firstName}`);
  });

  it('the right birth date identifies a patient writing from another phone', async () => {
    const chat = new Conversation(stack, simUser(4297));
    const p = seed.patients[4]!;
    await chat.say(p.documentNumber);
    expect(textOf(await chat.say('01/01/1990'))).toContain(`Gracias, ${p.firstName}`);
  });

  it('hands off to a person, stays silent until an operator releases it, then greets again', async () => {
    const chat = new Conversation(stack, users[5]!);
    await chat.say(seed.patients[5]!.documentNumber);
    const handed = await chat.tap({ id: 'human_handoff', title: 'Hablar con persona' });
    expect(textOf(handed)).toMatch(/Te comunico con una persona/);
    expect(await chat.say('¿hola? ¿alguien?')).toEqual([]);

    // The operator endpoints, mounted as the ingress would (auth stubbed here).
    const store = new HandoffStore(stack.redis, { keyPrefix: 'mc', timeoutSeconds: 3600 });
    const app = express().use(handoffRoutes(store, (_req, _res, next) => next()));
    const server = app.listen(0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const listed = (await (await fetch(`${base}/admin/handoffs`)).json()) as { handoffs: { sessionKey: string }[] };
      expect(listed.handoffs.map((h) => h.sessionKey)).toContain(chat.sessionKey);
      const release = await fetch(`${base}/admin/handoffs/${encodeURIComponent(chat.sessionKey)}/release`, { method: 'POST' });
      expect(release.status).toBe(200);
    } finally {
      server.close();
    }

    const back = textOf(await chat.say('hola'));
    expect(back).toMatch(/Hola de nuevo, Paciente5/);
  });

  it('every transition the workers took is in the table', () => {
    const offTable = stack.workers.flatMap((w) => w.logs).filter((l) => l.msg === LogEvent.TransitionNotInTable);
    expect(offTable).toEqual([]);
  });
});
