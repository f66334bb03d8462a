import type { ClinicPort } from '../../src/clinic/index.js';
import { list, openDialog, redis, Session, texts, type Harness } from './dialog-kit.js';

afterAll(async () => {
  await redis.quit();
});

const MARIA_DOC = '1234567';
const slotIdOf = (rowId: string) => rowId.slice('slot:'.length);

describe('a pick the clinic cannot keep', () => {
  let h: Harness;
  afterEach(async () => {
    await h.cleanup();
  });

  it('says the slot was taken in the same bubble that lists the others', async () => {
    h = await openDialog();
    const s = new Session(h);
    await s.send(MARIA_DOC);
    const rows = list(await s.send('cardiología'));
    expect(await h.clinic.holdSlot(slotIdOf(rows[0]!.id), 'someone-else', 60)).toMatchObject({ ok: true });

    const reply = await s.send('la 1');
    // One message: a text and then a list could reach the patient far apart, the promise of "others" alone.
    expect(reply).toHaveLength(1);
    expect(reply[0]!.kind).toBe('list');
    expect(texts(reply)).toMatch(/^Uy, ese horario se acaba de ocupar 😕\. Te muestro otros disponibles:/);
    const offered = list(reply).map((r) => r.id);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain(rows[0]!.id);
  });

  it('with nothing left to list, says the slot was taken and that there is nothing free, promising no list', async () => {
    let taken = false;
    h = await openDialog({
      clinic: (c) =>
        new Proxy(c, {
          get(target, prop: keyof ClinicPort) {
            const value = Reflect.get(target, prop) as (...a: unknown[]) => Promise<unknown>;
            if (prop !== 'listFreeSlots' || typeof value !== 'function') return value;
            // Once the pick failed, the specialty has no free slot left.
            return (...args: unknown[]) => (taken ? Promise.resolve({ slots: [], hasMore: false }) : value.apply(target, args));
          },
        }),
    });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    const rows = list(await s.send('cardiología'));
    expect(await h.clinic.holdSlot(slotIdOf(rows[0]!.id), 'someone-else', 60)).toMatchObject({ ok: true });
    taken = true;

    const reply = await s.send('la 1');
    expect(reply.map((r) => r.kind)).toEqual(['text']);
    const said = texts(reply);
    expect(said).toMatch(/^Uy, ese horario se acaba de ocupar 😕\. No encontré horarios libres de Cardiología/);
    expect(said).not.toMatch(/Te muestro/);
  });
});
