import { createLogger, maskDigits, maskPii } from '@medcita/shared';
import { Writable } from 'node:stream';

/** Shaped like the Graph client's error: a class field `code`, a `status`, a `cause`. */
class GraphSendError extends Error {
  readonly code = 'GRAPH_SEND_FAILED';
  constructor(
    message: string,
    readonly status: number,
    cause: Error,
  ) {
    super(message, { cause });
    this.name = 'GraphSendError';
  }
}

function capture(): { destination: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  let out = '';
  const destination = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return {
    destination,
    text: () => out,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const WAMID = 'wamid.HBgLNTkxNzAwMDAwMDEVAgASGBQzQTEyMzQ1Njc4OTAxMjM0NTY3OAA=';

describe(maskDigits.name, () => {
  it.each([
    ['wa_id 59170000001', 'wa_id *********01'],
    ['doc 1.234.567 LP', 'doc *****67 LP'],
    ['documento 1234567LP', 'documento *****67LP'],
    ['+57 300 123 4567', '**********67'],
    ['(591) 700-00001', '(*********01'],
    ['release /admin/handoffs/123456789012345%3A59170000001/release', 'release /admin/handoffs/*************45%3A*********01/release'],
    ['session 123456789012345:59170000001', 'session *************45:*********01'],
    ['cita a las 10:30 el 26/11', 'cita a las 10:30 el 26/11'],
    ['turno 12345', 'turno 12345'],
  ])('masks a phone or document number: %j → %j', (input, expected) => {
    expect(maskDigits(input)).toBe(expected);
  });

  it.each([
    [`resending ${WAMID}:0`],
    ['job reminder-24h-1234567890 failed'],
    ['request 3f2b8c1e-1234-4567-8901-234567890123'],
    ['connect ECONNREFUSED 127.0.0.1:6411'],
    ['at 2026-11-30T15:05:14.123Z'],
    ['trace AbC1234567XyZ'],
  ])('leaves identifiers intact: %j', (input) => {
    expect(maskDigits(input)).toBe(input);
  });
});

describe(maskPii.name, () => {
  it('masks by field name: number fields whatever their shape, id fields never', () => {
    const masked = maskPii({
      waId: '59170000001',
      to: '5917000',
      sessionKey: '123456789012345:59170000001',
      documentNumber: '1234567',
      wamid: WAMID,
      idempotencyKey: `${WAMID}:1`,
      jobId: '1234567',
      turnId: WAMID,
      wamids: [WAMID],
      durationMs: 1234567,
    });
    expect(masked).toEqual({
      waId: '*********01',
      to: '*****00',
      sessionKey: '*************45:*********01',
      documentNumber: '*****67',
      wamid: WAMID,
      idempotencyKey: `${WAMID}:1`,
      jobId: '1234567',
      turnId: WAMID,
      wamids: [WAMID],
      durationMs: 1234567,
    });
  });
});

describe(createLogger.name, () => {
  it('never writes a phone or document number, in messages or nested fields', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', service: 'test', destination: out.destination });
    logger.info({ address: { waId: '59170000001' }, docs: ['1234567'] }, 'message from 59170000001');
    logger.error({ err: new Error('patient 7654321 not found') }, 'lookup failed');
    logger.child({ req: { url: '/admin/handoffs/1%3A59170000001/release' } }).warn('request completed');
    expect(out.text()).not.toMatch(/59170000001|1234567|7654321/);
    expect(out.text()).toContain('*********01');
  });

  it('keeps wamids, job ids and idempotency keys whole, so a resend can be traced to its send', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', service: 'test', destination: out.destination });
    logger.warn({ idempotencyKey: `${WAMID}:0`, jobId: '1234567', turnId: WAMID }, `resending ${WAMID}:0`);
    const [line] = out.lines();
    expect(line).toMatchObject({ idempotencyKey: `${WAMID}:0`, jobId: '1234567', turnId: WAMID, msg: `resending ${WAMID}:0` });
  });

  it('keeps an error’s code, status and cause, with their texts masked', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', service: 'test', destination: out.destination });
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED', errno: -111 });
    logger.error({ err: new GraphSendError('send to 59170000001 failed', 503, cause) }, 'send failed');
    const [line] = out.lines();
    const err = line!.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'GraphSendError', code: 'GRAPH_SEND_FAILED', status: 503, message: 'send to *********01 failed' });
    expect(err.cause).toMatchObject({ code: 'ECONNREFUSED', errno: -111, message: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(JSON.stringify(line)).not.toContain('59170000001');
  });
});
