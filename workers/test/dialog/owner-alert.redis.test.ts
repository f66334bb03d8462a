import type { SessionAddress } from '@medcita/shared';
import type { OwnerAlertPort } from '../../src/dialog/owner-alert-port.js';
import { openDialog, PHONE_NUMBER_ID, redis, Session, texts, type Harness } from './dialog-kit.js';

/** docs/dialog.md, "Identity": a document tried from another number tells its registered phone. */
describe('owner alert', () => {
  let h: Harness;
  const alerts: { owner: SessionAddress; attemptId: string }[] = [];
  let suppressed = 0;
  const port: OwnerAlertPort = {
    alert: async (owner, attemptId) => void alerts.push({ owner, attemptId }),
    suppressed: () => void suppressed++,
  };
  // Test patient i: document 800000i, phone 591710000ii (clinic-test-kit testSeed); 8000004 is served without a phone.
  beforeAll(async () => {
    h = await openDialog({
      ownerAlerts: port,
      clinic: (c) =>
        Object.assign(Object.create(c) as typeof c, {
          findPatientByDocument: async (doc: string) => {
            const p = await c.findPatientByDocument(doc);
            return p && doc === '8000004' ? { ...p, phone: '' } : p;
          },
        }),
    });
  });
  beforeEach(() => {
    alerts.length = 0;
    suppressed = 0;
  });
  afterAll(async () => {
    await h.cleanup();
    await redis.quit();
  });

  it('tells the registered phone once, whatever number tries next, and the stranger reads what an unknown document reads', async () => {
    const stranger = new Session(h, '59179990001');
    const asked = texts(await stranger.send('8000000'));
    expect(alerts).toEqual([{ owner: { phoneNumberId: PHONE_NUMBER_ID, waId: '59171000000' }, attemptId: expect.any(String) }]);
    expect(texts(await new Session(h, '59179990002').send('5551234'))).toBe(asked);
    for (const other of ['59179990003', '59179990004']) await new Session(h, other).send('8000000');
    expect(alerts).toHaveLength(1);
    expect(suppressed).toBe(2);
  });

  it('tells nobody when the registered phone itself gives the document', async () => {
    expect(texts(await new Session(h, '59171000001').send('8000001'))).toMatch(/Gracias, Paciente/);
    expect(alerts).toEqual([]);
    expect(suppressed).toBe(0);
  });

  it('tells nobody when the patient has no registered phone, or the document is unknown', async () => {
    await new Session(h, '59179990005').send('8000004');
    await new Session(h, '59179990006').send('5557777');
    expect(alerts).toEqual([]);
    expect(suppressed).toBe(0);
  });
});
