import type { SentRecord } from '@medcita/testkit/simulator';

/** The message texts an echo reply says it received, in order. */
export function echoedTexts(record: SentRecord): string[] {
  const body = (record.payload as { text?: { body?: string } }).text?.body ?? '';
  return [...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}
