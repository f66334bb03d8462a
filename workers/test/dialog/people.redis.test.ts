/**
 * Family members and first-visit registration through the dialog, over real
 * Redis and the builtin clinic (docs/dialog.md: Family members, First visit).
 */
import { list, openDialog, redis, Session, texts, type Harness } from './dialog-kit.js';

afterAll(async () => {
  await redis.quit();
});

const MARIA_DOC = '1234567';
const NEW_PHONE = '59179990009';

describe('family members', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  it('registers a new dependent, books for her, and every confirmation and list says who it is for', async () => {
    h = await openDialog();
    const s = new Session(h);
    expect(texts(await s.send('mi hija de 5 años necesita pediatra'))).toMatch(/documento/);
    expect(texts(await s.send(MARIA_DOC))).toMatch(/Registremos a tu hija.*¿Cómo se llama\?/s);
    expect(texts(await s.send('Sofía Demo'))).toMatch(/fecha de nacimiento de Sofía/);
    const slots = await s.send('12/03/2021');
    expect(texts(slots)).toMatch(/registré a Sofía/);
    expect(texts(slots)).toMatch(/horarios de Pediatría/);
    expect(texts(await s.send('la 1'))).toMatch(/Paciente: Sofía/);
    const done = texts(await s.send('sí'));
    expect(done).toMatch(/La cita de Sofía quedó agendada/);

    const [dependent] = await h.clinic.listDependents('pac-001');
    expect(dependent).toEqual(expect.objectContaining({ firstName: 'Sofía', lastName: 'Demo', birthDate: '2021-03-12' }));
    const booked = await h.clinic.listAppointments('pac-001');
    expect(booked.map((a) => [a.patientId, a.slot.specialty])).toEqual([[dependent!.id, 'pediatria']]);
    expect(texts(await s.send('mis citas'))).toMatch(/Pediatría · .* · 👤 Sofía/);
  });

  it('offers the dependents on file, books for the one picked, and cancels it from the holder’s list', async () => {
    h = await openDialog();
    const added = await h.clinic.addDependent({ holderId: 'pac-001', firstName: 'Mateo', lastName: 'Demo', birthDate: '2020-01-15' });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    const who = await s.send('es para mi hijo');
    expect(who).toEqual([
      expect.objectContaining({
        kind: 'buttons',
        buttons: [
          { id: `dep:${added.ok && added.dependent.id}`, title: 'Mateo' },
          { id: 'dep:new', title: 'Otra persona ➕' },
          { id: 'dep:self', title: 'Para mí' },
        ],
      }),
    ]);
    expect(texts(await s.send('mateo'))).toMatch(/la cita es para Mateo/);
    expect(texts(await s.send('pediatría'))).toMatch(/horarios de Pediatría/);
    await s.send('la 2');
    expect(texts(await s.send('sí'))).toMatch(/La cita de Mateo quedó agendada/);
    // Her own appointment next to his: the list names each.
    await s.send('cardiología');
    await s.send('la 1');
    expect(texts(await s.send('sí'))).toMatch(/Tu cita quedó agendada[\s\S]*Paciente: María/);
    const listed = texts(await s.send('mis citas'));
    expect(listed).toMatch(/👤 Mateo/);
    expect(listed).toMatch(/👤 María/);

    const pick = list(await s.send('cancelar una cita'));
    const mateo = pick.find((r) => /Mateo/.test(r.description ?? ''))!;
    expect(texts(await s.send({ replyId: mateo.id, title: mateo.title }))).toMatch(/¿Cancelo la cita de Mateo de Pediatría/);
    expect(texts(await s.send('sí'))).toMatch(/quedó cancelada/);
    expect((await h.clinic.listAppointments('pac-001')).map((a) => a.slot.specialty)).toEqual(['cardiologia']);
  });

  it('only a dependent listed for this holder can be chosen', async () => {
    h = await openDialog();
    const other = await h.clinic.addDependent({ holderId: 'pac-002', firstName: 'Intruso', lastName: 'X', birthDate: '2019-01-01' });
    await h.clinic.addDependent({ holderId: 'pac-001', firstName: 'Mateo', lastName: 'Demo', birthDate: '2020-01-15' });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    await s.send('mi hijo necesita pediatría');
    const otherId = other.ok ? other.dependent.id : '';
    expect(texts(await s.send({ replyId: `dep:${otherId}`, title: 'Intruso' }))).toMatch(/Elige de la lista/);
    expect(s.state.dialog).not.toContain(otherId);
  });
});

describe('first visit', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  it('a new phone with a new document registers with consent, then the booking goes on', async () => {
    h = await openDialog();
    const s = new Session(h, NEW_PHONE);
    await s.send('hola, necesito turno con cardiología');
    expect(texts(await s.send('6.543.210'))).toMatch(/fecha de nacimiento/);
    expect(texts(await s.send('17/05/1992'))).toMatch(/primera vez.*nombre completo/s);
    const consent = await s.send('me llamo pedro nuevo quispe');
    expect(texts(consent)).toMatch(
      /Pedro[\s\S]*Nuevo Quispe[\s\S]*17\/05\/1992[\s\S]*6543210[\s\S]*La clínica guarda tu nombre[\s\S]*\[Acepto\]/,
    );
    const after = await s.send('acepto');
    expect(texts(after)).toMatch(/¡Listo, Pedro! Ya estás registrado/);
    expect(texts(after)).toMatch(/horarios de Cardiología/);

    const patient = await h.clinic.findPatientByPhone(NEW_PHONE);
    expect(patient).toEqual(
      expect.objectContaining({ documentNumber: '6543210', firstName: 'Pedro', lastName: 'Nuevo Quispe', birthDate: '1992-05-17' }),
    );
    expect(patient?.consent?.version).toMatch(/^[0-9a-f]{12}$/);
    await s.send('la 1');
    expect(texts(await s.send('dale'))).toMatch(/quedó agendada/);
    expect(await h.clinic.listAppointments(patient!.id)).toHaveLength(1);

    // Next visit: the phone now matches, no second factor.
    const again = new Session(h, NEW_PHONE);
    expect(texts(await again.send('6543210'))).toMatch(/Ya te identifiqué/);
  });

  it('declining consent stores nothing', async () => {
    h = await openDialog();
    const s = new Session(h, NEW_PHONE);
    await s.send('6543210');
    await s.send('17/05/1992');
    await s.send('Pedro Quispe');
    expect(texts(await s.send('no acepto'))).toMatch(/no guardé tus datos/);
    expect(await h.clinic.findPatientByPhone(NEW_PHONE)).toBeNull();
    expect(await h.clinic.findPatientByDocument('6543210')).toBeNull();
  });

  it('never tells whether a document exists: an unknown phone reads the same for a document on file and one that is not', async () => {
    h = await openDialog();
    const conversation = async (phone: string, doc: string) => {
      const s = new Session(h, phone);
      return [
        texts(await s.send(doc)),
        texts(await s.send('01/01/1990')),
        texts(await s.send('Pedro Quispe')),
        texts(await s.send('acepto')),
      ];
    };
    const onFile = await conversation('59179990001', MARIA_DOC);
    const notOnFile = await conversation('59179990002', '7777777');
    // Only the document the patient typed is echoed back in the summary.
    expect(onFile.slice(0, 3).map((r) => r.replace(MARIA_DOC, '<doc>'))).toEqual(
      notOnFile.slice(0, 3).map((r) => r.replace('7777777', '<doc>')),
    );
    expect(onFile[3]).toMatch(/Ya estás registrado/);
    expect(notOnFile[3]).toMatch(/Ya estás registrado/);
    // The document's owner is untouched; the newcomer's record is set apart for the clinic to review.
    expect((await h.clinic.findPatientByDocument(MARIA_DOC))?.id).toBe('pac-001');
    expect((await h.clinic.findPatientByPhone('59179990001'))?.needsReview).toBe('document_on_file');
  });

  it('a document on file for another phone goes through the second factor: the right birth date identifies, no offer', async () => {
    h = await openDialog();
    const s = new Session(h, '59179990003');
    expect(texts(await s.send(MARIA_DOC))).toMatch(/fecha de nacimiento/);
    const reply = texts(await s.send('12/04/1988'));
    expect(reply).toMatch(/Gracias, María/);
    expect(reply).not.toMatch(/primera vez/);
  });

  it('a phone on file gets no registration offer', async () => {
    h = await openDialog();
    const s = new Session(h, '59170000002');
    await s.send('7777777');
    const reply = texts(await s.send('01/01/1990'));
    expect(reply).toMatch(/No pude verificar/);
    expect(reply).not.toMatch(/primera vez/);
  });
});
