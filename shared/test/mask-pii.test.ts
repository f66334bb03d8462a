import { createLogger, maskDigits } from '@medcita/shared';
import { Writable } from 'node:stream';

describe(maskDigits.name, () => {
  it.each([
    ['wa_id 59170000001', 'wa_id *********01'],
    ['doc 1.234.567 LP', 'doc *****67 LP'],
    ['+57 300 123 4567', '**********67'],
    ['cita a las 10:30 el 26/11', 'cita a las 10:30 el 26/11'],
    ['turno 12345', 'turno 12345'],
  ])('masks %j as %j', (input, expected) => {
    expect(maskDigits(input)).toBe(expected);
  });
});

describe(createLogger.name, () => {
  it('never writes a phone or document number, in messages or nested fields', () => {
    let out = '';
    const destination = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const logger = createLogger({ level: 'info', service: 'test', destination });
    logger.info({ address: { waId: '59170000001' }, docs: ['1234567'] }, 'message from 59170000001');
    logger.error({ err: new Error('patient 7654321 not found') }, 'lookup failed');
    expect(out).not.toMatch(/59170000001|1234567|7654321/);
    expect(out).toContain('*********01');
  });
});
