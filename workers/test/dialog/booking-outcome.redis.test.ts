import { faulty, list, openDialog, redis, reschedule, Session, texts, timeout, type Harness } from './dialog-kit.js';

afterAll(async () => {
  await redis.quit();
});

const MARIA_DOC = '1234567';
const TAKEN = /se acaba de ocupar/;
const BOOKED = /quedó agendada ✅/;

/** The request reaches the clinic and takes effect; its answer is lost. */
const answerLost = async (call: () => Promise<unknown>): Promise<never> => {
  await call();
  return timeout();
};

describe('booking when the clinic does not answer in time', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  async function holdFirstCardiologySlot(s: Session): Promise<void> {
    await s.send(MARIA_DOC);
    list(await s.send('cardiología'));
    await s.send('la 1');
  }

  it('confirms a booking whose answer was lost, after asking the clinic by its key, in the same turn', async () => {
    let lost = 1;
    h = await openDialog({ clinic: faulty({ book: (call) => (lost-- > 0 ? answerLost(call) : call()) }) });
    const s = new Session(h);
    await holdFirstCardiologySlot(s);
    const reply = texts(await s.send('sí'));
    expect(reply).toMatch(BOOKED);
    expect(reply).not.toMatch(TAKEN);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });

  it('says it could not confirm yet when the look-up fails too, and the next "sí" confirms the one booking', async () => {
    let down = true;
    h = await openDialog({
      clinic: faulty({
        book: (call) => (down ? answerLost(call) : call()),
        findBooking: (call) => (down ? Promise.resolve(timeout()) : call()),
      }),
    });
    const s = new Session(h);
    await holdFirstCardiologySlot(s);
    const first = texts(await s.send('sí'));
    expect(first).toMatch(/no me confirmó tu cita a tiempo/);
    expect(first).not.toMatch(BOOKED);
    down = false;
    const second = texts(await s.send('sí'));
    expect(second).toMatch(BOOKED);
    expect(second).not.toMatch(TAKEN);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });

  it('asks about an unknown outcome before anything else the patient writes next', async () => {
    let down = true;
    h = await openDialog({
      clinic: faulty({
        book: (call) => (down ? answerLost(call) : call()),
        findBooking: (call) => (down ? Promise.resolve(timeout()) : call()),
      }),
    });
    const s = new Session(h);
    await holdFirstCardiologySlot(s);
    await s.send('sí');
    down = false;
    // "otro horario" would release the hold and list again; the booking made meanwhile comes first.
    expect(texts(await s.send('otro horario'))).toMatch(BOOKED);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });

  it('settles an unknown outcome even after the session would have expired', async () => {
    let down = true;
    h = await openDialog({
      clinic: faulty({
        book: (call) => (down ? answerLost(call) : call()),
        findBooking: (call) => (down ? Promise.resolve(timeout()) : call()),
      }),
    });
    const s = new Session(h);
    await holdFirstCardiologySlot(s);
    await s.send('sí');
    down = false;
    s.now += 2 * 3600 * 1000;
    const reply = texts(await s.send('hola'));
    expect(reply).toMatch(BOOKED);
    expect(reply).not.toMatch(/sesión expiró/);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });

  it('books with the same key when the lost request never reached the clinic', async () => {
    let lost = 1;
    const keys: string[] = [];
    h = await openDialog({
      clinic: faulty({
        book: (call, [req]) => {
          keys.push((req as { idempotencyKey: string }).idempotencyKey);
          return lost-- > 0 ? Promise.resolve(timeout()) : call();
        },
      }),
    });
    const s = new Session(h);
    await holdFirstCardiologySlot(s);
    expect(texts(await s.send('sí'))).toMatch(/no me confirmó/);
    expect(texts(await s.send('sí'))).toMatch(BOOKED);
    expect(new Set(keys).size).toBe(1);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });

  it('treats "taken" for the patient’s own key as the booking (a retried turn against a backend that answers 409 to repeats)', async () => {
    const used = new Set<string>();
    h = await openDialog({
      clinic: faulty({
        book: async (call, [req]) => {
          const key = (req as { idempotencyKey: string }).idempotencyKey;
          const result = await call();
          if (used.has(key)) return { ok: false, reason: 'taken' };
          used.add(key);
          return result;
        },
      }),
    });
    const s = new Session(h);
    await holdFirstCardiologySlot(s);
    const saved = s.state;
    await s.send('sí');
    // The pipeline retries a turn whose commit was lost: same state, same turn id.
    s.state = saved;
    const retried = await h.handler.handle({
      sessionKey: s.sessionKey,
      address: { phoneNumberId: '106540352242922', waId: s.waId },
      entries: [
        {
          address: { phoneNumberId: '106540352242922', waId: s.waId },
          message: { wamid: 'wamid.retry', timestamp: 0, kind: 'text', rawType: 'text', text: 'sí' },
          acceptedAt: s.now,
        },
      ],
      state: { ...saved, updatedAt: String(s.now) },
      turnId: 'retried-turn',
      now: s.now,
    });
    expect(texts(retried.replies)).toMatch(BOOKED);
    expect(texts(retried.replies)).not.toMatch(TAKEN);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
  });
});

describe('rescheduling when cancelling the old appointment fails', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  it('tries the cancel again at once: one timeout still ends with exactly one appointment', async () => {
    let failures = 1;
    h = await openDialog({ clinic: faulty({ cancelAppointment: (call) => (failures-- > 0 ? Promise.resolve(timeout()) : call()) }) });
    const s = new Session(h);
    const { oldId, reply } = await reschedule(h, s);
    expect(reply).toMatch(BOOKED);
    expect(reply).toMatch(/cancelé tu cita anterior/);
    const left = await h.clinic.listAppointments('pac-001');
    expect(left).toHaveLength(1);
    expect(left[0]!.id).not.toBe(oldId);
  });

  it('keeps the cancel owed while the clinic is down and does it at the next turn, whatever it is', async () => {
    let down = false;
    h = await openDialog({ clinic: faulty({ cancelAppointment: (call) => (down ? Promise.resolve(timeout()) : call()) }) });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    list(await s.send('cardiología'));
    await s.send('la 2');
    await s.send('sí');
    down = true;
    await s.send('quiero reprogramar mi cita');
    await s.send('la 1');
    const reply = texts(await s.send('sí'));
    expect(reply).toMatch(BOOKED);
    expect(reply).toMatch(/la cancelo en cuanto el sistema/);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(2);
    // Still down: the patient's own list already leaves the replaced one out, and the debt survives the turn.
    const meanwhile = texts(await s.send('mis citas'));
    expect(meanwhile.match(/Cardiología/g)).toHaveLength(1);
    down = false;
    expect(texts(await s.send('gracias'))).toMatch(/ya cancelé tu cita anterior/);
    expect(await h.clinic.listAppointments('pac-001')).toHaveLength(1);
    expect(JSON.parse(s.state.dialog!)).not.toHaveProperty('pendingCancels');
  });
});
