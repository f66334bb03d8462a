/**
 * Exactly-once booking against a clinic system that answers late (docs/dialog.md,
 * "Booking outcome"), through the whole pipeline: simulator → ingress → worker
 * process with the http clinic backend → testkit contract server (over a
 * builtin store in the stack's Redis) → fake Graph API.
 */
import type { BuiltinClinic } from '../../workers/src/clinic/index.js';
import { createContractServer, type ContractServer } from '@medcita/testkit/clinic';
import { simUser } from '@medcita/testkit/simulator';
import { Conversation, dialogWorkerEnv, lastButtons, lastList, seedWithPatients, seededClinic, textOf } from '../support/conversation.js';
import { metricValue } from '../support/prom.js';
import { TestStack, waitUntil } from '../support/test-stack.js';

const TOKEN = 'e2e-clinic-token';
const BOOKED = /quedó agendada ✅/;
const TAKEN = /se acaba de ocupar/;

const users = [simUser(4300), simUser(4301), simUser(4302)];
const seed = seedWithPatients(users.map((u) => u.waId!));

describe('booking through a clinic system that answers late', () => {
  let stack: TestStack;
  let clinic: BuiltinClinic;
  let server: ContractServer;

  beforeAll(async () => {
    stack = await TestStack.start({ workers: 0 });
    clinic = seededClinic(stack, seed.file, 'e2e:{clinic}');
    server = createContractServer(clinic, { token: TOKEN });
    const url = await server.listen();
    await stack.addWorker({
      ...dialogWorkerEnv(seed.file),
      CLINIC_BACKEND: 'http',
      CLINIC_API_URL: url,
      CLINIC_API_TOKEN: TOKEN,
      // Well below the late answers below, so every faulted call times out.
      CLINIC_TIMEOUT_MS: '1500',
      // Owed cancels retried in the background after 1 s, 2 s, …
      OWED_CANCEL_RETRY_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await server?.close();
  });

  it('a booking the clinic records but answers after the timeout is confirmed once, never "slot taken"', async () => {
    const chat = new Conversation(stack, users[0]!);
    const patient = seed.patients[0]!;
    await chat.say(patient.documentNumber);
    const slots = lastList(await chat.say('quiero una cita de cardiología'));
    const confirm = lastButtons(await chat.tap(slots.rows[0]!, 'list'));
    server.setFault({ kind: 'late', afterMs: 10_000, times: 1, match: /^POST \/api\/v1\/citas$/ });
    let replies = await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!);
    // Told "not confirmed yet" at worst; a second "sí" must then confirm, not call the patient's own booking taken.
    if (!BOOKED.test(textOf(replies))) replies = [...replies, ...(await chat.say('sí'))];
    expect(textOf(replies)).toMatch(BOOKED);
    expect(textOf(chat.all())).not.toMatch(TAKEN);
    expect(server.requests.filter((r) => r === 'POST /api/v1/citas').length).toBeGreaterThanOrEqual(1);
    const appointments = await clinic.listAppointments(patient.id);
    expect(appointments).toHaveLength(1);
    expect(appointments[0]!.slot.id).toBe(slots.rows[0]!.id.replace(/^slot:/, ''));
  });

  /** Patient `i` books cardiology row `i`, asks to reschedule and picks another slot: the confirm buttons are on screen. */
  async function bookThenPickAnother(i: number) {
    const chat = new Conversation(stack, users[i]!);
    const patient = seed.patients[i]!;
    await chat.say(patient.documentNumber);
    const slots = lastList(await chat.say('quiero una cita de cardiología'));
    await chat.tap(slots.rows[i]!, 'list');
    expect(textOf(await chat.say('sí'))).toMatch(BOOKED);
    const [old] = await clinic.listAppointments(patient.id);
    const offered = lastList(await chat.say('quiero reprogramar mi cita'));
    const confirm = lastButtons(
      await chat.tap(
        offered.rows.find((r) => r.id !== `slot:${old!.slot.id}`)!,
        'list',
      ),
    );
    return { chat, old: old!, confirm };
  }

  it('a reschedule whose cancel of the old appointment times out once still ends with exactly one appointment', async () => {
    const patient = seed.patients[1]!;
    const { chat, old, confirm } = await bookThenPickAnother(1);
    server.setFault({ kind: 'hang', times: 1, match: /^POST \/api\/v1\/citas\/[^/]+\/cancelar$/ });
    const replies = textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!));
    expect(replies).toMatch(BOOKED);
    expect(replies).not.toMatch(/No puedo consultar la agenda/);

    const left = await clinic.listAppointments(patient.id);
    expect(left).toHaveLength(1);
    expect(left[0]!.id).not.toBe(old.id);
    expect(server.requests.filter((r) => r.endsWith('/cancelar')).length).toBeGreaterThanOrEqual(2);
  });

  it('a reschedule whose cancel the clinic does not answer is cancelled in the background, the patient writing nothing more', async () => {
    const patient = seed.patients[2]!;
    const { chat, old, confirm } = await bookThenPickAnother(2);
    // Both of the turn's tries time out (two faults: under the breaker's five); the background job's first try goes through.
    server.setFault({ kind: 'hang', times: 2, match: /^POST \/api\/v1\/citas\/[^/]+\/cancelar$/ });
    const replies = textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!));
    expect(replies).toMatch(BOOKED);
    expect(replies).toMatch(/la cancelo en cuanto el sistema/);

    await waitUntil(async () => (await clinic.listAppointments(patient.id)).length === 1, 30_000, 'the old appointment cancelled');
    const [left] = await clinic.listAppointments(patient.id);
    expect(left!.id).not.toBe(old.id);
    expect(server.requests.filter((r) => r.endsWith('/cancelar')).length).toBeGreaterThanOrEqual(3);
    await waitUntil(
      async () => metricValue(await stack.workers[0]!.metrics(), 'medcita_owed_cancels_total{outcome="cancelled"}') === 1,
      10_000,
      'the background cancel counted',
    );
  });
});
