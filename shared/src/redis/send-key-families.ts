// Shared by the fleet: a business number's WhatsApp send limit and its reply send markers.
import type { KeyFamily } from './key-family.js';

export const SEND_KEY_FAMILIES: readonly KeyFamily[] = [
  {
    pattern: '<p>:wa:{<phone_number_id>}:send-tat, :send-rate, :paused',
    builder: 'sendKeys() (workers/src/whatsapp/whatsapp-keys.ts)',
    type: 'string',
    holds: "the business number's send schedule and pause",
    why: 'the fleet-wide send limit',
    lifetime: 'seconds',
    personal: 'none',
    erasure: 'kept',
  },
  {
    pattern: '<p>:wa:{<phone_number_id>}:pair:<recipient digest>',
    builder: 'sendKeys().pairPause',
    type: 'string',
    holds: 'a pause of sends to one recipient (unkeyed digest of the phone)',
    why: "Meta's per-user throttle (131056)",
    lifetime: '6 seconds',
    personal: 'pseudonym',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:wa:{<phone_number_id>}:s:<digest>',
    builder: 'sendMarkerKey()',
    type: 'hash',
    holds:
      "one reply's send marker: while open a hash (state, owner, times); once sent a string, the message id, then '1' after its turn commits",
    why: 'a reply is sent once even when its worker dies',
    lifetime: 'until its turn commits, then 15 min',
    personal: 'none',
    erasure: 'kept',
  },
];
