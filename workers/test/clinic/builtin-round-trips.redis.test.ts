import { BuiltinClinic } from '../../src/clinic/builtin/builtin-clinic.js';
import { connectTestRedis, deleteKeys, fixedClock, recordCommands, testSeed, uniquePrefix } from './clinic-test-kit.js';

// Issue #14: what a patient's turn costs in Redis round trips.
describe('BuiltinClinic round trips', () => {
  const redis = connectTestRedis();
  const prefix = uniquePrefix();
  const seed = testSeed(0);
  const clinic = new BuiltinClinic({ redis, seed, keyPrefix: prefix, timeZone: 'America/La_Paz', clock: fixedClock });
  const sent = recordCommands(redis);

  beforeAll(async () => {
    await clinic.seed();
    // Loads the script into a Redis that never saw it (an EVAL after a NOSCRIPT), outside the counts.
    await clinic.findPatientByDocument('0');
  });
  beforeEach(() => sent.clear());
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('finds a patient by document in one round trip, and a document not on file in one too', async () => {
    const patient = seed.patients[0]!;
    expect(await clinic.findPatientByDocument(patient.documentNumber)).toEqual(patient);
    expect(await clinic.findPatientByDocument('99999999')).toBeNull();
    expect(sent.trips()).toEqual([['evalsha'], ['evalsha']]);
  });

  it('answers static data (specialties, clinic information) with no round trip', async () => {
    expect(await clinic.listSpecialties()).toHaveLength(seed.specialties.length);
    expect((await clinic.clinicInfo()).doctors).toHaveLength(seed.doctors.length);
    expect(sent.trips()).toEqual([]);
  });
});
