/**
 * The key catalogue must describe every key the builders make: the patient
 * tools skip families marked as holding no personal data, so a key filed
 * under the wrong family would hide a person from export and erasure.
 */
import { clinicKeys, familyOf, fleetKeys, seenBucketKey, sendMarkerKey, sessionKeys, type KeyPrefixes } from '../../src/index.js';

const prefixes: KeyPrefixes = { p: 'mc', c: 'medcita:{clinic}', q: '{medcita}' };
const session = '106540352242922:59170000001';

describe('key catalogue', () => {
  it('files every session key under a family that holds personal data', () => {
    for (const key of Object.values(sessionKeys('mc', session))) {
      const family = familyOf(key, prefixes);
      expect({ key, personal: family?.personal }).toEqual({ key, personal: 'direct' });
    }
  });

  it('files every fleet and clinic key under a family, personal or not as documented', () => {
    const f = fleetKeys('mc');
    const c = clinicKeys('medcita:{clinic}');
    const expected: [string, string][] = [
      [f.audit, 'pseudonym'],
      [f.erasures, 'none'],
      [f.failedStatuses, 'direct'],
      [f.statusCounts, 'none'],
      [f.handoffFlag(session), 'direct'],
      [f.handoffIndex, 'direct'],
      [f.handoffVersion, 'none'],
      [f.documentFailures('ab'.repeat(16)), 'pseudonym'],
      [f.operatorSession('cd'.repeat(32)), 'none'],
      [f.reminderRecord('apt-1'), 'direct'],
      [f.reminderMessage('wamid.x'), 'direct'],
      [f.reminderDone('24h', 'apt-1'), 'pseudonym'],
      [f.reminderScheduled('24h', 'apt-1'), 'pseudonym'],
      [seenBucketKey('mc', session, 7), 'none'],
      [sendMarkerKey('mc', '106540352242922', 'wamid.x:0'), 'none'],
      [c.patients, 'direct'],
      [c.patientsByPhone, 'direct'],
      [c.dependents('pac-1'), 'direct'],
      [c.appointments, 'pseudonym'],
      [c.hold('slot-1'), 'pseudonym'],
      [c.idempotency('k'), 'pseudonym'],
      [c.erasedPatients, 'pseudonym'],
      [c.slots, 'none'],
      ['{medcita}:turns:de:' + session, 'direct'],
    ];
    for (const [key, personal] of expected) {
      expect({ key, personal: familyOf(key, prefixes)?.personal }).toEqual({ key, personal });
    }
  });

  it('knows no family for a key outside the catalogue, so the patient tools read it', () => {
    expect(familyOf('mc:something-new', prefixes)).toBeUndefined();
  });
});
