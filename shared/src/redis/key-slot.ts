/**
 * Redis Cluster slots, computed the way the server does, and one short hash
 * tag per slot. A structure shared by many sessions (the dedupe buckets) is
 * split into one part per slot and each part is named with its slot's tag,
 * so a session's Lua script can touch its part atomically with the session's
 * own keys, in cluster mode too.
 */

const SLOTS = 16384;

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** CRC16/XMODEM, the slot hash of Redis Cluster. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ b) & 0xff]!;
  return crc;
}

/** The cluster slot of a key, honouring its first non-empty `{hash tag}`. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  return crc16(Buffer.from(key, 'utf8')) % SLOTS;
}

let tags: string[] | undefined;

/** A short string whose slot is `slot` (deterministic: the first base-36 number that lands there). */
export function slotTag(slot: number): string {
  if (!tags) {
    const found: string[] = new Array<string>(SLOTS);
    let missing = SLOTS;
    for (let n = 0; missing > 0; n++) {
      const candidate = n.toString(36);
      const s = crc16(Buffer.from(candidate, 'latin1')) % SLOTS;
      if (found[s] === undefined) {
        found[s] = candidate;
        missing -= 1;
      }
    }
    tags = found;
  }
  return tags[slot]!;
}
