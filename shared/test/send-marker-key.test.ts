import { createHash } from 'node:crypto';
import { MARKER_DIGEST_MEMO_SIZE, markerDigestMemoSize, sendMarkerKey } from '../src/whatsapp/send-marker.js';

function expected(idempotencyKey: string): string {
  return `mc:wa:{106540352242922}:s:${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 16)}`;
}

describe('sendMarkerKey (#14: a reply names its marker three times, one digest)', () => {
  it('names a marker the same every time, by 96 bits of the digest of its key', () => {
    const key = 'wamid.HBgLNTkxNzAwMDAwMDEVAgARGBI5QTNDQTVCM0E0RjU2QTk4:0';
    expect(sendMarkerKey('mc', '106540352242922', key)).toBe(expected(key));
    expect(sendMarkerKey('mc', '106540352242922', key)).toBe(expected(key));
    expect(sendMarkerKey('other', '1', key)).toBe(`other:wa:{1}:s:${expected(key).split(':s:')[1]}`);
  });

  it('remembers a bounded number of digests', () => {
    for (let i = 0; i < MARKER_DIGEST_MEMO_SIZE + 100; i++) sendMarkerKey('mc', '106540352242922', `wamid.x${i}:0`);
    expect(markerDigestMemoSize()).toBe(MARKER_DIGEST_MEMO_SIZE);
    expect(sendMarkerKey('mc', '106540352242922', 'wamid.x0:0')).toBe(expected('wamid.x0:0'));
  });
});
