/**
 * Symptoms that do not settle a specialty: only plausible candidates are
 * offered, with "Otra" leading to every specialty; nothing plausible → an
 * open question. And the retrained model sends follow-ups and chronic
 * conditions to the right specialist (real NLU, informal Spanish).
 */
import { es } from '../../src/dialog/index.js';
import { openDialog, redis, scriptedNlu, Session, texts, type Harness } from './dialog-kit.js';

afterAll(async () => {
  await redis.quit();
});

const MARIA_DOC = '1234567';
const unsure = (label: string, confidence: number, alternatives: { label: string; confidence: number }[]) => ({
  intent: 'describe_symptoms' as const,
  confidence: 0.9,
  uncertain: false,
  specialty: { label, confidence, uncertain: true, alternatives },
});

describe('choosing a specialty from symptoms', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.offTable()).toEqual([]);
    await h.cleanup();
  });

  it('never offers an implausible candidate: a 0.45 reading is offered alone, with "Otra"', async () => {
    h = await openDialog({
      nlu: scriptedNlu({
        'me toca mi chequeo': unsure('pediatria', 0.45, [
          { label: 'traumatologia', confidence: 0.11 },
          { label: 'oftalmologia', confidence: 0.1 },
        ]),
      } as never),
    });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    const offer = await s.send('me toca mi chequeo');
    expect(offer).toEqual([
      expect.objectContaining({
        kind: 'buttons',
        buttons: [
          { id: 'spec:pediatria', title: 'Pediatría' },
          { id: 'deny', title: 'Otra' },
        ],
      }),
    ]);
    expect(texts(offer)).not.toMatch(/Traumatología|Oftalmología/);
  });

  it('"Otra" shows every specialty, numbered; a number or a name then lists its slots', async () => {
    h = await openDialog({
      nlu: scriptedNlu({ 'me siento raro': unsure('medicina_general', 0.35, [{ label: 'psicologia', confidence: 0.3 }]) } as never),
    });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    await s.send('me siento raro');
    const all = texts(await s.send({ replyId: 'deny', title: 'Otra' }));
    for (const name of Object.values(es.specialties)) expect(all).toContain(name);
    const numbered = [...all.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => [Number(m[1]), m[2]] as const);
    expect(numbered).toHaveLength(12);
    const [n, name] = numbered.find(([, x]) => x === 'Neumología')!;
    expect(texts(await s.send(String(n)))).toMatch(new RegExp(`horarios de ${name}`));
  });

  it('"Otra" and then a typed name works too', async () => {
    h = await openDialog({
      nlu: scriptedNlu({ 'me siento raro': unsure('medicina_general', 0.35, [{ label: 'psicologia', confidence: 0.3 }]) } as never),
    });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    await s.send('me siento raro');
    await s.send({ replyId: 'deny', title: 'Otra' });
    expect(texts(await s.send('otorrino'))).toMatch(/horarios de Otorrinolaringología/);
  });

  it('nothing plausible: asks an open question instead of offering guesses, then follows the clearer answer', async () => {
    h = await openDialog({
      nlu: scriptedNlu({ 'tengo algo': unsure('pediatria', 0.18, [{ label: 'traumatologia', confidence: 0.15 }]) } as never),
    });
    const s = new Session(h);
    await s.send(MARIA_DOC);
    const ask = await s.send('tengo algo');
    expect(ask.every((r) => r.kind === 'text')).toBe(true);
    expect(texts(ask)).toBe(es.specialtyOpenQuestion);
    expect(texts(await s.send('cardiologia'))).toMatch(/horarios de Cardiología/);
  });

  // Phrasings written for this test, not in the training data.
  it.each([
    ['ya me toca mi control de la tuberculosis 😷', 'Neumología'],
    ['toy embarazada de 4 meses, necesito control', 'Ginecología'],
    ['control de la presion alta, soy hipertenso hace años', 'Cardiología'],
    ['ando con mucha ansiedad y no duermo nada', 'Psicología'],
    ['kiero ponerme frenillos en los dientes', 'Odontología'],
    ['el asma me tiene mal otra vez, ya me toca control', 'Neumología'],
  ])('"%s" → %s', async (text, name) => {
    h = await openDialog();
    const s = new Session(h);
    await s.send(MARIA_DOC);
    // (Family words are left out: "mi hijo" starts booking for a dependent.)
    const reply = texts(await s.send(text));
    // Either straight to its slots, or offered first among plausible options.
    const offered = reply.match(/\[([^\]]+)\]/)?.[1];
    expect(reply.includes(`horarios de ${name}`) || offered === name).toBe(true);
  });
});
