/**
 * docs/dialog.md through real processes: scripted booking conversations through the whole
 * pipeline (simulator → ingress → worker process → fake Graph API),
 * asserting on what the patient receives.
 */
import { LogEvent } from '@medcita/shared';
import { content, simUser } from '@medcita/testkit/simulator';
import {
  Conversation,
  lastButtons,
  lastList,
  seedWithPatients,
  textOf,
  type TestPatient,
  dialogWorkerEnv,
} from '../support/conversation.js';
import { metricValue } from '../support/prom.js';
import { TestStack } from '../support/test-stack.js';

const users = Array.from({ length: 8 }, (_, i) => simUser(4100 + i));
const seed = seedWithPatients(users.map((u) => u.waId!));

describe('booking conversations', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await TestStack.start({ workers: 2, workerEnv: dialogWorkerEnv(seed.file) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function patient(i: number): { chat: Conversation; p: TestPatient } {
    return { chat: new Conversation(stack, users[i]!), p: seed.patients[i]! };
  }

  it('books by naming a specialty: document, list of slots, pick, confirm', async () => {
    const { chat, p } = patient(0);
    const hello = await chat.say('hola');
    expect(textOf(hello)).toMatch(/asistente de citas/);
    expect(textOf(hello)).toMatch(/número de documento/);
    expect(textOf(hello).match(/Hola/g)).toHaveLength(1);

    const menu = await chat.say(p.documentNumber);
    expect(textOf(menu)).toContain(`Gracias, ${p.firstName}`);

    const slots = lastList(await chat.say('quiero una cita de cardiología'));
    expect(slots.body).toMatch(/Cardiología/);
    expect(slots.rows.length).toBeGreaterThan(1);
    expect(slots.rows.length).toBeLessThanOrEqual(10);
    for (const row of slots.rows) {
      expect(row.title.length).toBeLessThanOrEqual(24);
      expect((row.description ?? '').length).toBeLessThanOrEqual(72);
    }
    const picked = slots.rows[1]!;
    const confirm = lastButtons(await chat.tap(picked, 'list'));
    expect(confirm.body).toContain(picked.title);
    expect(confirm.buttons.length).toBeLessThanOrEqual(3);

    const done = await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!);
    expect(textOf(done)).toMatch(/quedó agendada/);
    expect(textOf(done)).toContain(picked.title);

    const mine = await chat.tap({ id: 'list_appointments', title: 'Mis citas' });
    expect(textOf(mine)).toContain(picked.title);
  });

  it('books from symptoms: a sure specialty lists its slots, an unsure one is asked with buttons', async () => {
    const { chat, p } = patient(1);
    await chat.say(p.documentNumber);
    let replies = await chat.say('tengo una mancha en la piel que me pica mucho');
    const offer = replies.find((r) => r.kind === 'buttons');
    if (offer) {
      // The classifier hesitated: it asks which specialty instead of guessing.
      expect(offer.buttons.some((b) => b.id.startsWith('spec:'))).toBe(true);
      replies = await chat.tap(offer.buttons.find((b) => b.id === 'spec:dermatologia') ?? offer.buttons[0]!);
    }
    const slots = lastList(replies);
    expect(slots.body).toMatch(/Dermatología/);
    const confirm = lastButtons(await chat.say('la 1'));
    expect(confirm.body).toContain(slots.rows[0]!.title);
    const done = await chat.say('sí dale');
    expect(textOf(done)).toMatch(/quedó agendada/);
  });

  it('pages to the second page and picks a slot there', async () => {
    const { chat, p } = patient(2);
    await chat.say(p.documentNumber);
    const first = lastList(await chat.say('medicina general'));
    const more = first.rows.find((r) => r.id === 'more_options');
    expect(more).toBeDefined();
    const second = lastList(await chat.tap(more!, 'list'));
    expect(second.body).toMatch(/Más horarios/);
    const firstTitles = new Set(first.rows.map((r) => r.title));
    expect(second.rows.filter((r) => r.id !== 'more_options').some((r) => firstTitles.has(r.title))).toBe(false);
    const confirm = lastButtons(await chat.say('tercera'));
    expect(confirm.body).toContain(second.rows[2]!.title);
    expect(textOf(await chat.say('sí'))).toMatch(/quedó agendada/);
  });

  it('declines a held slot, gets other slots (never the same page), and picks another', async () => {
    const { chat, p } = patient(3);
    await chat.say(p.documentNumber);
    const slots = lastList(await chat.say('pediatría'));
    const confirm = lastButtons(await chat.say('la 1'));
    const again = lastList(await chat.tap(confirm.buttons.find((b) => b.id === 'deny')!));
    expect(again.body).toMatch(/Claro, aquí tienes otros horarios/);
    const before = new Set(slots.rows.filter((r) => r.id !== 'more_options').map((r) => r.id));
    expect(again.rows.some((r) => before.has(r.id))).toBe(false);
    const confirm2 = lastButtons(await chat.tap(again.rows[1]!, 'list'));
    expect(confirm2.body).toContain(again.rows[1]!.title);
    expect(textOf(await chat.tap(confirm2.buttons[0]!))).toMatch(/quedó agendada/);
  });

  it('rapid-fire "hola" + "necesito cita" + "cardiología": one greeting, then cardiology slots after the document', async () => {
    const { chat, p } = patient(4);
    const burst = await chat.send(content.text('hola'), content.text('necesito cita'), content.text('cardiología'));
    expect(textOf(burst).match(/asistente de citas/g)).toHaveLength(1);
    expect(burst.length).toBeLessThanOrEqual(3);
    const slots = lastList(await chat.say(p.documentNumber));
    expect(slots.body).toMatch(/Cardiología/);
  });

  it('an image in the middle of a flow gets a polite answer and the flow goes on', async () => {
    const { chat, p } = patient(5);
    await chat.say(p.documentNumber);
    const slots = lastList(await chat.say('dermatología'));
    const image = await chat.send(content.image());
    expect(textOf(image)).toMatch(/solo entiendo mensajes de texto/);
    const confirm = lastButtons(await chat.say('la 2'));
    expect(confirm.body).toContain(slots.rows[1]!.title);
  });

  it('an idle session expires mid-flow: "tu sesión expiró" and a fresh start', async () => {
    const { chat, p } = patient(6);
    await chat.say(p.documentNumber);
    lastList(await chat.say('cardiología'));
    // Time passes: the previous turn happened two hours ago.
    await stack.redis.hset(`mc:{${chat.sessionKey}}:state`, 'updatedAt', String(Date.now() - 2 * 3600_000));
    const after = await chat.say('la 1');
    expect(textOf(after)).toMatch(/sesión expiró/);
    expect(textOf(after)).toMatch(/número de documento/);
    expect(after.some((r) => r.kind === 'buttons')).toBe(false);
  });

  it('every transition the workers took is in the table', () => {
    const offTable = stack.workers.flatMap((w) => w.logs).filter((l) => l.msg === LogEvent.TransitionNotInTable);
    expect(offTable).toEqual([]);
  });

  it("counts each booking in the workers' metrics exactly when the clinic stored one", async () => {
    const stored = await stack.redis.hlen('medcita:{clinic}:appointments');
    expect(stored).toBeGreaterThanOrEqual(3);
    const counted = (await Promise.all(stack.workers.map((w) => w.metrics()))).reduce(
      (n, text) => n + metricValue(text, 'medcita_bookings_total'),
      0,
    );
    expect(counted).toBe(stored);
  });
});
