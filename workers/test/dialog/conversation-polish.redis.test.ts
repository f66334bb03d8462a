import type { OutboundMessage } from '@medcita/shared';
import { DialogTurnHandler } from '../../src/dialog/index.js';
import { list, openDialog, redis, Session, texts, type Harness } from './dialog-kit.js';

afterAll(async () => {
  await redis.quit();
});

const MARIA_DOC = '1234567';
const bodyOf = (replies: OutboundMessage[]) => {
  const l = replies.find((r) => r.kind === 'list');
  return l?.kind === 'list' ? l.body : '';
};

// The clock reads Monday 2030-03-04 08:00 in La Paz.
describe(`${DialogTurnHandler.name}: preferences, clinic questions and conversational polish`, () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  describe('slot preferences', () => {
    it('honours day and part of day from the first request, said before identification', async () => {
      h = await openDialog();
      const s = new Session(h);
      expect(texts(await s.send('necesito una ficha con el cardiólogo para el jueves en la tarde'))).toMatch(/documento/);
      const listed = await s.send(MARIA_DOC);
      // Cardiology on Thursdays is 09:00–12:00 only: nothing in the afternoon, so it says so and offers that day's closest times.
      expect(texts(listed)).toMatch(/No encontré horarios de Cardiología para jueves 7\/3 por la tarde/);
      expect(bodyOf(listed)).toMatch(/Lo más cercano que tengo/);
      expect(
        list(listed)
          .filter((r) => r.id !== 'more_options')
          .every((r) => r.title.startsWith('jue 7 mar')),
      ).toBe(true);
    });

    it('lists only what fits and says what was applied', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const replies = await s.send('quiero turno con la dra romero el sabado temprano');
      expect(bodyOf(replies)).toMatch(/Cardiología · sábado 9\/3 temprano · Dra\. Natalia Romero Saavedra/);
      expect(list(replies).map((r) => r.title)).toEqual(['sáb 9 mar 09:00', 'sáb 9 mar 09:30']);
    });

    it('changes and drops a preference mid-list, and at the confirm step', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const wednesday = await s.send('pediatria el miercoles');
      expect(bodyOf(wednesday)).toMatch(/Pediatría · miércoles 6\/3/);
      const friday = await s.send('mejor el viernes');
      expect(bodyOf(friday)).toMatch(/Pediatría · viernes 8\/3/);
      expect(
        list(friday)
          .filter((r) => r.id !== 'more_options')
          .every((r) => r.title.startsWith('vie 8 mar')),
      ).toBe(true);
      await s.send('la 1');
      const anyDay = await s.send('no, cualquier día nomás');
      expect(bodyOf(anyDay)).toMatch(/próximos horarios de Pediatría/);
      expect(list(anyDay)[0]!.title).toBe('lun 4 mar 08:20');
    });

    it('a place narrows the list to that clinic', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const replies = await s.send('pediatra en cochabamba');
      expect(bodyOf(replies)).toMatch(/Policlínico Tunari/);
      expect(
        list(replies)
          .filter((r) => r.id !== 'more_options')
          .every((r) => /Tunari/.test(r.description ?? '')),
      ).toBe(true);
    });
  });

  describe('clinic questions', () => {
    it('answers price and address mid-booking, keeps the hold, then books', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('cardiología'));
      await s.send('la 1');
      const answer = await s.send('y cuanto cuesta la consulta? donde queda?');
      expect(texts(answer)).toMatch(/Cardiología cuesta Bs 250/);
      expect(texts(answer)).toMatch(/Av\. 6 de Agosto 2450/);
      expect(answer.some((r) => r.kind === 'location')).toBe(true);
      expect(texts(answer)).toMatch(/sigue reservado/);
      // Held for this session still: nobody else can take it.
      expect(await h.clinic.holdSlot(rows[0]!.id.slice('slot:'.length), 'someone-else', 60)).toMatchObject({ ok: false, reason: 'held' });
      expect(texts(await s.send('sí'))).toMatch(/quedó agendada/);
      expect((await h.clinic.listAppointments('pac-001'))[0]?.slot.id).toBe(rows[0]!.id.slice('slot:'.length));
    });

    it('answers briefly for every clinic when none is meant, and names the one asked for', async () => {
      h = await openDialog();
      const s = new Session(h);
      const all = texts(await s.send('a que hora abren?'));
      expect(all).toMatch(/Clínica Illimani.*\n.*Centro Médico Guapay.*\n.*Policlínico Tunari/);
      expect(texts(await s.send('aceptan caja petrolera en santa cruz?'))).toMatch(
        /En Centro Médico Guapay \(Santa Cruz\) aceptamos: .*Caja Petrolera/,
      );
      expect(texts(await s.send('para gastro tengo que ir en ayunas?'))).toMatch(/ayunas de 8 horas/);
    });
  });

  describe('polish', () => {
    it('a burst of greeting, need and specialty gets one document request', async () => {
      h = await openDialog();
      const s = new Session(h);
      const replies = texts(await s.send('hola', 'necesito ficha', 'para pediatría'));
      expect(replies.match(/documento/g)).toHaveLength(1);
      expect(replies).toMatch(/Pediatría/);
      expect(bodyOf(await s.send(MARIA_DOC))).toMatch(/Pediatría/);
    });

    it('a bare specialty lists its slots, and "dale la 2" picks the second row', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const rows = list(await s.send('oftalmologo'));
      expect(texts(await s.send('dale la 2'))).toContain(rows[1]!.title);
    });

    it('"no" to a list moves on to other slots', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      const first = list(await s.send('neumologia'));
      const next = await s.send('no me sirve ninguno');
      expect(texts(next)).toMatch(/Más horarios|otros horarios|otros días/);
      expect(list(next).map((r) => r.id)).not.toEqual(first.map((r) => r.id));
    });

    it('after two misunderstandings it offers a person, and "sí" hands off', async () => {
      h = await openDialog();
      const s = new Session(h);
      await s.send(MARIA_DOC);
      expect(texts(await s.send('asdf qwerty'))).toMatch(/No estoy seguro/);
      expect(texts(await s.send('zxcv bnm'))).toMatch(/comunique con una persona/);
      expect(texts(await s.send('si'))).toMatch(/persona del equipo/);
      expect(await h.handoff.isFlagged(s.sessionKey)).toBe(true);
    });
  });
});
