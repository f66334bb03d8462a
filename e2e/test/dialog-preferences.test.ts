/**
 * Patients talking like people, through the whole pipeline (simulator →
 * ingress → worker processes → fake Graph API): day, time, doctor and place
 * preferences, clinic questions mid-booking, declines that move forward,
 * bursts, and a person offered after two misunderstandings. Asserts on what
 * the patient receives and on the clinic's state.
 */
import { LogEvent } from '@medcita/shared';
import { content, simUser } from '@medcita/testkit/simulator';
import {
  Conversation,
  useDialogStack,
  lastButtons,
  lastList,
  seedWithPatients,
  textOf,
  type TestPatient,
} from '../support/conversation.js';

const users = Array.from({ length: 8 }, (_, i) => simUser(4400 + i));
const seed = seedWithPatients(users.map((u) => u.waId!));
const LEAD_MINUTES = 120;

/** Slot ids end in the clinic-local start, "doc-03-203012031430"; La Paz is UTC-4 all year. */
function startOf(rowId: string): number {
  const m = /-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(rowId);
  if (!m) throw new Error(`not a slot row: ${rowId}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! + 4, +m[5]!);
}

describe('conversations with preferences and questions', () => {
  const env = useDialogStack(seed.file);

  function patient(i: number): { chat: Conversation; p: TestPatient } {
    return { chat: new Conversation(env.stack, users[i]!), p: seed.patients[i]! };
  }
  const slotRows = (list: { rows: { id: string; title: string; description?: string }[] }) =>
    list.rows.filter((r) => r.id.startsWith('slot:'));

  it('a preference with no match: says so plainly and offers the nearest alternatives', async () => {
    const { chat, p } = patient(0);
    expect(textOf(await chat.say('hola necesito un turno con el cardiologo para el domingo en la tarde'))).toMatch(/documento/);
    const replies = await chat.say(p.documentNumber);
    const list = lastList(replies);
    // Nobody sees cardiology patients on Sundays.
    expect(list.body).toMatch(/No encontré horarios de Cardiología para domingo/);
    expect(list.body).toMatch(/Lo más cercano que tengo|próximos horarios/);
    expect(slotRows(list).length).toBeGreaterThan(0);
    for (const row of slotRows(list)) expect(row.title).not.toMatch(/^dom/);
    expect(await env.clinic.listAppointments(p.id)).toEqual([]);
  });

  it('a preference changed mid-list, then dropped; never a slot inside the lead time', async () => {
    const { chat, p } = patient(1);
    await chat.say(p.documentNumber);
    const wednesday = lastList(await chat.say('una ficha de pediatria el miercoles x la mañana'));
    expect(wednesday.body).toMatch(/Pediatría · miércoles \d+\/\d+ por la mañana/);
    for (const row of slotRows(wednesday)) expect(row.title).toMatch(/^mié/);
    const friday = lastList(await chat.say('mejor el viernes'));
    expect(friday.body).toMatch(/Pediatría · viernes \d+\/\d+ por la mañana/);
    for (const row of slotRows(friday)) expect(row.title).toMatch(/^vie/);
    const anyDay = lastList(await chat.say('cualquier dia nomas, a la hora que sea'));
    expect(anyDay.body).toMatch(/próximos horarios de Pediatría/);
    for (const row of slotRows(anyDay)) expect(startOf(row.id)).toBeGreaterThan(Date.now() + (LEAD_MINUTES - 1) * 60_000);
    const confirm = lastButtons(await chat.tap(slotRows(anyDay)[0]!, 'list'));
    expect(textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!))).toMatch(/quedó agendada/);
    const [booked] = await env.clinic.listAppointments(p.id);
    expect(booked?.slot.id).toBe(slotRows(anyDay)[0]!.id.slice('slot:'.length));
  });

  it('a doctor by surname and a city narrow the list', async () => {
    const { chat, p } = patient(2);
    await chat.say(p.documentNumber);
    const romero = lastList(await chat.say('kiero cita con la dra romero'));
    expect(romero.body).toMatch(/Cardiología · Dra\. Natalia Romero Saavedra/);
    for (const row of slotRows(romero)) expect(row.description).toMatch(/Romero/);
    const tunari = lastList(await chat.say('pediatra en el tunari'));
    for (const row of slotRows(tunari)) expect(row.description).toMatch(/Tunari/);
  });

  it('an info question between picking a slot and confirming: answered, the hold kept, and the booking completes', async () => {
    const { chat, p } = patient(3);
    await chat.say(p.documentNumber);
    const list = lastList(await chat.say('gastroenterologia'));
    const picked = slotRows(list)[0]!;
    lastButtons(await chat.tap(picked, 'list'));
    const answer = await chat.say('cuanto sale la consulta?? y donde queda, tengo q ir en ayunas?');
    const said = textOf(answer);
    expect(said).toMatch(/Gastroenterología cuesta Bs 220/);
    expect(said).toMatch(/Av\. 6 de Agosto 2450/);
    expect(said).toMatch(/ayunas de 8 horas/);
    expect(answer.some((r) => r.kind === 'location' && /Illimani/.test(r.body))).toBe(true);
    // Still held for this patient: another session cannot take it.
    expect(await env.clinic.holdSlot(picked.id.slice('slot:'.length), 'someone-else', 60)).toEqual({ ok: false, reason: 'held' });
    const confirm = lastButtons(answer);
    expect(confirm.body).toContain(picked.title);
    expect(textOf(await chat.say('dale'))).toMatch(/quedó agendada/);
    const [booked] = await env.clinic.listAppointments(p.id);
    expect(booked?.slot.id).toBe(picked.id.slice('slot:'.length));
  });

  it('a burst of greeting + need + specialty: one answer, one document request', async () => {
    const { chat, p } = patient(4);
    const burst = await chat.send(content.text('hola buenas'), content.text('necesito ficha'), content.text('para pediatría porfa'));
    expect(textOf(burst).match(/documento/g)).toHaveLength(1);
    expect(textOf(burst)).toMatch(/Pediatría/);
    expect(lastList(await chat.say(p.documentNumber)).body).toMatch(/Pediatría/);
  });

  it('after two misunderstandings in a row it offers a person; "sí" hands off', async () => {
    const { chat, p } = patient(5);
    await chat.say(p.documentNumber);
    await chat.say('jajaja el perro se comio mi tarea');
    const offer = lastButtons(await chat.say('blablabla ñam'));
    expect(offer.body).toMatch(/comunique con una persona/);
    expect(textOf(await chat.say('si porfa'))).toMatch(/Te comunico con una persona/);
    expect(await chat.say('hola?')).toEqual([]);
  });

  it('every transition the workers took is in the table', () => {
    const offTable = env.stack.workers.flatMap((w) => w.logs).filter((l) => l.msg === LogEvent.TransitionNotInTable);
    expect(offTable).toEqual([]);
  });
});
