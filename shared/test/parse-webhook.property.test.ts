/**
 * Property-based checks of the webhook parser: whatever JSON arrives, and
 * however a real delivery is mutated, it either parses (skipping what it
 * cannot use) or throws the documented NotAWebhookError, never anything else.
 */
import fc from 'fast-check';
import { NotAWebhookError, parseWebhook } from '@medcita/shared';
import { content, inbound, simUser, statusUpdate, webhookBody } from '@medcita/testkit/simulator';

const REAL = [
  webhookBody([inbound(simUser(1), content.text('hola'))]),
  webhookBody([inbound(simUser(2), content.buttonReply('b1', 'Sí')), statusUpdate({ waId: '59170000002' }, 'wamid.X', 'delivered')]),
] as unknown[];

function parsesOrRefuses(body: unknown): void {
  try {
    const parsed = parseWebhook(body);
    expect(parsed.malformed).toBeGreaterThanOrEqual(0);
  } catch (err) {
    expect(err).toBeInstanceOf(NotAWebhookError);
  }
}

/** Replaces the value at a random path of `body` with `replacement`. */
function mutate(body: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || body === null || typeof body !== 'object') return replacement;
  const entries = Array.isArray(body) ? body.map((v, i) => [i, v] as const) : Object.entries(body);
  if (entries.length === 0) return replacement;
  const [key] = entries[path[0]! % entries.length]!;
  const copy = (Array.isArray(body) ? [...(body as unknown[])] : { ...body }) as Record<string | number, unknown>;
  copy[key] = mutate((body as Record<string | number, unknown>)[key], path.slice(1), replacement);
  return copy;
}

describe('parseWebhook under arbitrary input', () => {
  it('any JSON value parses or is refused as not a webhook', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => parsesOrRefuses(value)),
      { numRuns: 500 },
    );
  });

  it('a real delivery with any one part replaced parses or is refused as not a webhook', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REAL), fc.array(fc.nat(), { maxLength: 8 }), fc.jsonValue(), (body, path, replacement) => {
        parsesOrRefuses(mutate(body, path, replacement));
      }),
      { numRuns: 2_000 },
    );
  });
});
