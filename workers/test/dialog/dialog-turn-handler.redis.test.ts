import { ClinicUnavailableError, type ClinicPort } from '../../src/clinic/index.js';
import { DialogTurnHandler } from '../../src/dialog/index.js';
import { list, openDialog, redis, scriptedNlu, Session, texts, type Harness } from './dialog-kit.js';

afterAll(async () => {
  await redis.quit();
});

const MARIA_DOC = '1234567';
const hesitant = { confidence: 0.3, uncertain: true } as const;

describe(DialogTurnHandler.name, () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  describe('when the classifier is unsure', () => {
    it('asks a clarifying question at the confirm step and books nothing', async () => {
      h = await openDialog({ nlu: scriptedNlu({ 'creo que si': { intent: 'affirm', ...hesitant } }) });
      const s = new Session(h);
      await s.send(MARIA_DOC);
      await s.send('cardiología');
      expect(texts(await s.send('la 1'))).toMatch(/¿Confirmo la cita\?/);
      const reply = texts(await s.send('creo que si'));
      expect(reply).toMatch(/No estoy seguro|Responde "sí"/);
      expect(reply).not.toMatch(/agendada/);
      expect(await h.clinic.listAppointments('pac-001')).toEqual([]);
    });

    it('offers the likely specialties as buttons instead of picking one', async () => {
      h = await openDialog({
        nlu: scriptedNlu({
          'me duele todo': {
            intent: 'describe_symptoms',
            confidence: 0.6,
            uncertain: false,
            specialty: {
              label: 'medicina_general',
              confidence: 0.4,
              uncertain: true,
              alternatives: [{ label: 'traumatologia', confidence: 0.3 }],
            },
          },
        }),
      });
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const offer = await s.send('me duele todo');
      expect(offer).toEqual([
        expect.objectContaining({
          kind: 'buttons',
          buttons: [
            { id: 'spec:medicina_general', title: 'Medicina General' },
            { id: 'spec:traumatologia', title: 'Traumatología' },
            { id: 'deny', title: 'Otra' },
          ],
        }),
      ]);
      expect(texts(await s.send({ replyId: 'spec:traumatologia', title: 'Traumatología' }))).toMatch(/horarios de Traumatología/);
    });
  });

  describe('typed picks', () => {
    it('"la de las 10" picks the 10:00 slot of the list', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('cardiología'));
      const ten = rows.find((r) => r.title.endsWith(' 10:00'));
      expect(ten).toBeDefined();
      expect(texts(await s.send('la de las 10'))).toContain(ten!.title);
    });

    // The cardiología list at the fixed Monday 08:00 shows 09:00 twice: today (lun 4 mar) and tomorrow (mar 5 mar).
    it('"la de las 9" fits two days: asks which with a button per day, and the tap holds that slot', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const nines = list(await s.send('cardiología')).filter((r) => r.title.endsWith(' 09:00'));
      expect(nines.map((r) => r.title)).toEqual(['lun 4 mar 09:00', 'mar 5 mar 09:00']);

      const ask = await s.send('la de las 9');
      expect(texts(ask)).not.toMatch(/Te reservé/);
      const buttons = ask.flatMap((r) => (r.kind === 'buttons' ? r.buttons : []));
      expect(buttons).toEqual(nines.map((r) => ({ id: r.id, title: r.title })));

      const held = texts(await s.send({ replyId: buttons[1]!.id, title: buttons[1]!.title }));
      expect(held).toMatch(/Te reservé/);
      expect(held).toContain('mar 5 mar 09:00');
    });

    it.each(['la del martes a las 9', 'mañana a las 9', 'la del 5 de marzo a las 9'])(
      '"%s" names the day too, so it holds that slot at once',
      async (typed) => {
        h = await openDialog();
        const s = new Session(h);
        await s.send(MARIA_DOC);
        await s.send('cardiología');
        const held = texts(await s.send(typed));
        expect(held).toMatch(/Te reservé/);
        expect(held).toContain('mar 5 mar 09:00');
      },
    );

    it('a day and time the list does not show lists that day and time instead, and holds nothing', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('cardiología'));
      const reply = await s.send('la del martes a las 10');
      expect(texts(reply)).toMatch(/Cardiología · martes 5\/3 a las 10:00/);
      const tuesday = list(reply);
      expect(tuesday.map((r) => r.title)).toEqual(['mar 5 mar 10:00', 'mar 5 mar 10:30']);
      expect(await h.clinic.holdSlot(rows[0]!.id.slice('slot:'.length), 'someone-else', 60)).toMatchObject({ ok: true });
      // The new list is the one on screen: a number picks from it.
      expect(texts(await s.send('la 2'))).toContain(tuesday[1]!.title);
    });

    it('"otro" at the confirm step releases the hold and moves on to other slots', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('cardiología'));
      await s.send('la 1');
      const other = await s.send('otro');
      expect(texts(other)).toMatch(/Claro, aquí tienes otros horarios/);
      const next = list(other).map((r) => r.id);
      expect(next.filter((id) => rows.some((r) => r.id === id && id !== 'more_options'))).toEqual([]);
      // Released: another patient can hold it at once.
      expect(await h.clinic.holdSlot(rows[0]!.id.slice('slot:'.length), 'someone-else', 60)).toMatchObject({ ok: true });
    });

    it('"tercera" picks the third row and "sí dale" books it', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('cardiología'));
      expect(texts(await s.send('tercera'))).toContain(rows[2]!.title);
      expect(texts(await s.send('sí dale'))).toMatch(/quedó agendada/);
      const [booked] = await h.clinic.listAppointments('pac-001');
      expect(booked?.slot.startsAt).toBeDefined();
    });
  });

  describe('identity', () => {
    it('from another phone, the birth date written in words is the second factor', async () => {
      h = await openDialog();
      const s = new Session(h, '59179999999');
      expect(texts(await s.send(MARIA_DOC))).toMatch(/fecha de nacimiento/);
      expect(texts(await s.send('12 de abril de 1988'))).toMatch(/Gracias, María/);
    });

    it('after three failures even the right answer is refused, and a person is one tap away', async () => {
      h = await openDialog();
      const s = new Session(h, '59179999998');
      for (const date of ['01/01/1990', '02/02/1990', '03/03/1990']) {
        await s.send(MARIA_DOC);
        await s.send(date);
      }
      const locked = await s.send(MARIA_DOC);
      expect(texts(locked)).toMatch(/pausé la verificación/);
      expect(texts(locked)).not.toMatch(/María/);
      expect(locked).toContainEqual(expect.objectContaining({ buttons: [{ id: 'human_handoff', title: 'Hablar con persona' }] }));
      expect(texts(await s.send({ replyId: 'human_handoff', title: 'Hablar con persona' }))).toMatch(/una persona/);
    });

    it('a verification left without the birth date counts as a failure', async () => {
      h = await openDialog();
      const s = new Session(h, '59179999997');
      for (let i = 0; i < 3; i++) expect(texts(await s.send(MARIA_DOC))).toMatch(/fecha de nacimiento/);
      const locked = await s.send(MARIA_DOC);
      expect(texts(locked)).toMatch(/pausé la verificación/);
      expect(texts(await s.send('12/04/1988'))).not.toMatch(/María/);
    });

    it('failures add up per document across phones: the sixth phone is held back even with the right date, the owner is not', async () => {
      h = await openDialog();
      for (let i = 0; i < 5; i++) {
        const s = new Session(h, `5917888000${i}`);
        await s.send(MARIA_DOC);
        expect(texts(await s.send('01/01/1990'))).not.toMatch(/María/);
      }
      const sixth = new Session(h, '59178880009');
      expect(texts(await sixth.send(MARIA_DOC))).toMatch(/pausé la verificación/);
      expect(texts(await sixth.send('12/04/1988'))).not.toMatch(/María/);
      expect(texts(await new Session(h).send(MARIA_DOC))).toMatch(/Gracias, María/);
    });

    it('a right answer from another phone does not count against the document', async () => {
      h = await openDialog();
      for (let i = 0; i < 6; i++) {
        const s = new Session(h, `5917666000${i}`);
        await s.send(MARIA_DOC);
        expect(texts(await s.send('12/04/1988'))).toMatch(/Gracias, María/);
      }
    });
  });

  describe('list rows', () => {
    it('a tap on a row of an older page holds nothing and brings the list as it is now, in one message', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const first = list(await s.send('medicina general'));
      const more = first.find((r) => r.id === 'more_options')!;
      const second = list(await s.send({ replyId: more.id, title: more.title }));
      expect(second[0]!.id).not.toBe(first[0]!.id);
      const stale = await s.send({ replyId: first[0]!.id, title: first[0]!.title });
      // Not "pick from the list": the list on screen is the one that no longer matches, so that would loop.
      expect(stale.map((r) => r.kind)).toEqual(['list']);
      expect(texts(stale)).toMatch(/^Esa lista ya no está al día\. Estos son los horarios disponibles ahora:/);
      expect(texts(stale)).not.toMatch(/Te reservé/);
      const now = list(stale);
      const fresh = await s.send({ replyId: now[1]!.id, title: now[1]!.title });
      expect(texts(fresh)).toMatch(/Te reservé/);
      expect(texts(fresh)).toContain(now[1]!.title);
    });
  });

  describe('when the clinic backend is down', () => {
    it('answers "intenta más tarde" and keeps the state, without throwing', async () => {
      let down = false;
      h = await openDialog({
        clinic: (c) =>
          new Proxy(c, {
            get(target, prop: keyof ClinicPort) {
              const value: unknown = Reflect.get(target, prop);
              if (typeof value !== 'function') return value;
              return (...args: unknown[]) => {
                if (down) throw new ClinicUnavailableError('timeout', 'test outage');
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            },
          }),
      });
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const before = s.state.dialog;
      down = true;
      expect(texts(await s.send('cardiología'))).toMatch(/Intenta más tarde/);
      expect(s.state.dialog).toBe(before);
      down = false;
      expect(list(await s.send('cardiología')).length).toBeGreaterThan(0);
    });
  });

  describe('coalesced turns', () => {
    it('three "hola" in one turn get one greeting', async () => {
      h = await openDialog();
      const replies = await new Session(h).send('hola', 'hola', 'hola');
      expect(texts(replies).match(/Hola/g)).toHaveLength(1);
      expect(replies).toHaveLength(1);
    });
  });

  describe('handoff', () => {
    it('stays silent while flagged and greets again once released', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      expect(texts(await s.send({ replyId: 'human_handoff', title: 'Hablar con persona' }))).toMatch(/una persona/);
      expect(await h.handoff.isFlagged(s.sessionKey)).toBe(true);
      expect(await s.send('hola??')).toEqual([]);
      await h.handoff.release(s.sessionKey);
      expect(texts(await s.send('mis citas'))).toMatch(/Hola de nuevo, María/);
    });
  });

  describe('media', () => {
    it('an image gets "solo entiendo texto" and the list stays pickable', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('cardiología'));
      expect(texts(await s.send({ kind: 'image' }))).toMatch(/solo entiendo mensajes de texto/);
      expect(texts(await s.send('la 2'))).toContain(rows[1]!.title);
    });
  });
});
