/**
 * Family members and first visits through the whole pipeline (simulator →
 * ingress → worker processes → fake Graph API), asserting on what the
 * patient receives and on the clinic's records (docs/dialog.md).
 */
import { simUser } from '@medcita/testkit/simulator';
import { Conversation, lastButtons, lastList, seedWithPatients, textOf, useDialogStack } from '../support/conversation.js';

const holders = Array.from({ length: 2 }, (_, i) => simUser(4600 + i));
const seed = seedWithPatients(holders.map((u) => u.waId!));
// Phones the clinic has never seen.
const newcomers = Array.from({ length: 4 }, (_, i) => simUser(4700 + i));

describe('family members and first visits', () => {
  const env = useDialogStack(seed.file);

  it('books for a new dependent: registers her, books, and the confirmation and the list say who it is for', async () => {
    const chat = new Conversation(env.stack, holders[0]!);
    const holder = seed.patients[0]!;
    expect(textOf(await chat.say('hola! necesito un turno para mi nena de 3 añitos 🙏'))).toMatch(/documento/);
    expect(textOf(await chat.say(holder.documentNumber))).toMatch(/Registremos a tu nena[\s\S]*¿Cómo se llama\?/);
    expect(textOf(await chat.say('valentina prueba'))).toMatch(/fecha de nacimiento de Valentina/);
    const registered = await chat.say('05/08/2022');
    expect(textOf(registered)).toMatch(/registré a Valentina/);
    // The classifier may or may not guess a specialty from "nena"; either way the patient gets to the slots.
    const slots = /Elige uno/.test(textOf(registered)) ? lastList(registered) : lastList(await chat.say('pediatría'));
    const confirm = lastButtons(await chat.tap(slots.rows[0]!, 'list'));
    expect(confirm.body).toMatch(/Paciente: Valentina/);
    const booked = textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!));
    expect(booked).toMatch(/La cita de Valentina quedó agendada/);

    const [dependent] = await env.clinic.listDependents(holder.id);
    expect(dependent).toEqual(expect.objectContaining({ firstName: 'Valentina', lastName: 'Prueba', birthDate: '2022-08-05' }));
    const appointments = await env.clinic.listAppointments(holder.id);
    expect(appointments.map((a) => a.patientId)).toEqual([dependent!.id]);
    expect(appointments[0]!.holderId).toBe(holder.id);

    const listed = textOf(await chat.tap({ id: 'list_appointments', title: 'Mis citas' }));
    expect(listed).toContain(slots.rows[0]!.title);
    expect(listed).toMatch(/👤 Valentina/);
  });

  it('a first-time patient registers with consent and books; the clinic has the record and the appointment', async () => {
    const chat = new Conversation(env.stack, newcomers[0]!);
    expect(textOf(await chat.say('buenas, quiero sacar ficha para cardiologia'))).toMatch(/documento/);
    expect(textOf(await chat.say('7.012.345'))).toMatch(/fecha de nacimiento/);
    expect(textOf(await chat.say('3 de febrero de 1985'))).toMatch(/primera vez[\s\S]*nombre completo/);
    const consent = lastButtons(await chat.say('Me llamo Carla Nueva Rojas'));
    expect(consent.body).toMatch(/Carla Nueva Rojas[\s\S]*03\/02\/1985[\s\S]*7012345[\s\S]*La clínica guarda/);
    const after = await chat.tap(consent.buttons.find((b) => b.title === 'Acepto')!);
    expect(textOf(after)).toMatch(/¡Listo, Carla! Ya estás registrado/);
    const slots = lastList(after);
    expect(slots.body).toMatch(/Cardiología/);
    const confirm = lastButtons(await chat.tap(slots.rows[1]!, 'list'));
    expect(textOf(await chat.tap(confirm.buttons.find((b) => b.id === 'affirm')!))).toMatch(/Tu cita quedó agendada[\s\S]*Paciente: Carla/);

    const patient = await env.clinic.findPatientByPhone(newcomers[0]!.waId!);
    expect(patient).toEqual(
      expect.objectContaining({ documentNumber: '7012345', firstName: 'Carla', lastName: 'Nueva Rojas', birthDate: '1985-02-03' }),
    );
    expect(patient?.consent).toEqual({ at: expect.any(String), version: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect((await env.clinic.listAppointments(patient!.id)).map((a) => a.slot.id)).toEqual([slots.rows[1]!.id.replace(/^slot:/, '')]);
  });

  it('a document registered to another phone gets the second factor, not the registration offer, and reads like any other', async () => {
    const owner = seed.patients[1]!;
    const stranger = new Conversation(env.stack, newcomers[1]!);
    const control = new Conversation(env.stack, newcomers[2]!);
    const askedStranger = textOf(await stranger.say(owner.documentNumber));
    const askedControl = textOf(await control.say('7099999'));
    expect(askedStranger).toMatch(/fecha de nacimiento/);
    expect(askedStranger).not.toMatch(/primera vez|registr/);
    expect(askedStranger).toBe(askedControl);

    // A wrong date reads the same for the existing document and the unknown one.
    const wrongStranger = textOf(await stranger.say('02/02/1991'));
    expect(wrongStranger).toBe(textOf(await control.say('02/02/1991')));

    // The owner's own birth date passes the second factor: identified, never offered to register.
    const again = new Conversation(env.stack, newcomers[3]!);
    await again.say(owner.documentNumber);
    const identified = textOf(await again.say('01/01/1990'));
    expect(identified).toMatch(/Gracias, Paciente1/);
    expect(identified).not.toMatch(/primera vez/);
    expect((await env.clinic.findPatientByDocument(owner.documentNumber))?.phone).toBe(holders[1]!.waId);
  });
});
