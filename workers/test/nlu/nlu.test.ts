import { createNlu, type Nlu } from '../../src/nlu/nlu.js';
import { readExamplesFile, DEV_FILE } from '../../src/nlu/dataset.js';
import { evaluate } from '../../src/nlu/evaluation.js';
import { capturingLogger } from './helpers.js';

describe('createNlu (lexical, the default)', () => {
  let nlu: Nlu;

  beforeAll(async () => {
    nlu = await createNlu({ minConfidence: 0.55, minSpecialtyConfidence: 0.5 }, capturingLogger().logger);
  });
  afterAll(() => nlu.close());

  it('is ready as soon as it is created, and not after close', async () => {
    const other = await createNlu({ minConfidence: 0.5, minSpecialtyConfidence: 0.5 }, capturingLogger().logger);
    expect(other.ready).toBe(true);
    await other.close();
    await other.close();
    expect(other.ready).toBe(false);
  });

  it('meets the accuracy targets on the dev split it was never trained on', async () => {
    const report = await evaluate(readExamplesFile(DEV_FILE), (t) => nlu.understand(t));
    expect(report.intent.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.specialty.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['kiero una sita pal lunes', 'book_appointment'],
    ['hola, quiero una cita', 'book_appointment'],
    ['holaaa buenas 👋', 'greet'],
    ['quiero cancelar mi turno', 'cancel_appointment'],
    ['no la quiero cancelar, quiero cambiarla para el viernes', 'reschedule_appointment'],
    ['cuando es mi cita?', 'list_appointments'],
    ['pasame con una persona', 'human_handoff'],
    ['hay otros horarios?', 'more_options'],
    ['cuanto cuesta la consulta?', 'ask_info'],
    ['mil gracias 🙏', 'thanks'],
    ['chao, hasta luego', 'goodbye'],
  ])('%j → %s', async (text, intent) => {
    expect((await nlu.understand(text)).intent).toBe(intent);
  });

  it('maps symptoms to a specialty, also when speaking for a child or a parent', async () => {
    const cases: Array<[string, string]> = [
      ['me duele la muela 😩', 'odontologia'],
      ['mi bebe tiene fiebre desde anoche', 'pediatria'],
      ['mi mama tiene la presion muy alta', 'cardiologia'],
      ['veo borroso de lejos', 'oftalmologia'],
    ];
    for (const [text, specialty] of cases) {
      const r = await nlu.understand(text);
      expect({ text, intent: r.intent, specialty: r.specialty?.label }).toEqual({ text, intent: 'describe_symptoms', specialty });
    }
  });

  it('reports a specialty named outright, and none for a booking that names none', async () => {
    expect((await nlu.understand('quiero cita con el dermatologo')).specialty).toMatchObject({ label: 'dermatologia', confidence: 1 });
    expect((await nlu.understand('quiero una cita')).specialty).toBeUndefined();
  });

  it('answers a symptom mentioned inside a question as a question, keeping the specialty', async () => {
    const r = await nlu.understand('tengo gastritis, ustedes tienen gastroenterologo?');
    expect(r.intent).toBe('ask_info');
    expect(r.specialty?.label).toBe('gastroenterologia');
  });

  it('lets yes/no shortcuts win with full confidence', async () => {
    expect(await nlu.understand('👍')).toMatchObject({ intent: 'affirm', confidence: 1, source: 'shortcut', uncertain: false });
    expect(await nlu.understand('nel')).toMatchObject({ intent: 'deny', confidence: 1, source: 'shortcut' });
  });

  it('takes a button reply id that is an intent label as that intent', async () => {
    expect(await nlu.understand('Confirmar', { replyId: 'affirm' })).toMatchObject({ intent: 'affirm', source: 'reply', confidence: 1 });
  });

  it('reads a list pick from its reply id or its text and flags the message as entity-only', async () => {
    expect(await nlu.understand('Lunes 10:00 Dra. Pérez', { replyId: 'option:4' })).toMatchObject({
      entities: { option: 4, replyId: 'option:4' },
    });
    expect(await nlu.understand('la 3')).toMatchObject({ entities: { option: 3 }, entityOnly: true });
    expect(await nlu.understand('tercera')).toMatchObject({ entities: { option: 3 }, entityOnly: true });
  });

  it('extracts a document number and dates alongside the intent', async () => {
    expect(await nlu.understand('mi cedula es 1.023.456.789')).toMatchObject({ entities: { document: '1023456789' }, entityOnly: true });
    const r = await nlu.understand('quiero una cita mañana a las 3 de la tarde');
    expect(r.intent).toBe('book_appointment');
    expect(r.entityOnly).toBe(false);
    expect(r.entities.dateTimes).toEqual([
      { kind: 'relative_day', offsetDays: 1, text: 'manana' },
      { kind: 'time', hour: 15, minute: 0, text: 'a las 3 de la tarde' },
    ]);
  });

  it('marks gibberish as uncertain so the dialog asks instead of guessing', async () => {
    const r = await nlu.understand('xq zzkw plo');
    expect(r.uncertain).toBe(true);
  });

  it('gives calibrated probabilities: confidence and alternatives are distinct, sorted and sum to at most 1', async () => {
    const r = await nlu.understand('no puedo ir el martes');
    const all = [r.confidence, ...r.alternatives.map((a) => a.confidence)];
    expect([...all].sort((a, b) => b - a)).toEqual(all);
    expect(all.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1.0001);
    expect(new Set([r.intent, ...r.alternatives.map((a) => a.intent)]).size).toBe(all.length);
  });
});
