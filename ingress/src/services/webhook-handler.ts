import { NotAWebhookError, parseWebhook, verifySignature, type Logger, type ParsedWebhook } from '@medcita/shared';
import { NotDurableError } from './ack-durability.js';
import type { WebhookAcceptor } from './webhook-acceptor.js';

export const WEBHOOK_OUTCOMES = [
  'accepted',
  'duplicate',
  'bad_signature',
  'unparseable',
  'too_large',
  'overloaded',
  'unavailable',
] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

export interface WebhookHandlerDeps {
  appSecret: string;
  /** The secret being rotated out; accepted too until it is unset (docs/operations.md). */
  previousAppSecret?: string | undefined;
  acceptor: WebhookAcceptor;
  logger: Logger;
  onOutcome?: (outcome: WebhookOutcome) => void;
  onParsed?: (parsed: ParsedWebhook) => void;
  /** Resolves once the delivery's writes are durable as configured (see ack-durability.ts); throws otherwise. */
  durable?: () => Promise<void>;
}

export type WebhookHandler = (
  raw: Buffer,
  signature: string | undefined,
  meta: { requestId: string; ip?: string },
) => Promise<WebhookReply>;

/**
 * POST /webhook without the HTTP framework: verify the signature over the
 * exact bytes, parse, record, answer. Nothing slow happens here; inference
 * runs in the workers.
 */
export function createWebhookHandler(deps: WebhookHandlerDeps): WebhookHandler {
  const outcome = (o: WebhookOutcome) => deps.onOutcome?.(o);
  return async (raw, signature, { requestId, ip }) => {
    const signed =
      verifySignature(deps.appSecret, raw, signature) ||
      (deps.previousAppSecret !== undefined && verifySignature(deps.previousAppSecret, raw, signature));
    if (!signed) {
      outcome('bad_signature');
      deps.logger.warn({ requestId, ip }, 'webhook rejected: missing or bad signature');
      return { status: 401, body: { error: 'invalid signature' } };
    }
    let parsed: ParsedWebhook;
    try {
      parsed = parseWebhook(JSON.parse(raw.toString('utf8')));
    } catch (err) {
      // Signed, so it came from Meta: a 4xx would only make Meta retry the
      // same bytes for days. Take it, count it, and keep the reason in the log.
      outcome('unparseable');
      const reason = err instanceof NotAWebhookError ? err.message : 'malformed JSON';
      deps.logger.warn({ requestId, reason, bytes: raw.length }, 'signed webhook ignored: unparseable');
      return { status: 200, body: { status: 'EVENT_RECEIVED' } };
    }
    deps.onParsed?.(parsed);
    try {
      const result = await deps.acceptor.accept(parsed, requestId);
      // Not replicated or fsynced in time: 503, Meta redelivers, the inbox absorbs the duplicate.
      await deps.durable?.();
      outcome(result.accepted === 0 && result.duplicates > 0 ? 'duplicate' : 'accepted');
      if (deps.logger.isLevelEnabled('debug')) {
        deps.logger.debug({ requestId, ...result, ignoredChanges: parsed.ignoredChanges, malformed: parsed.malformed }, 'webhook accepted');
      }
      return { status: 200, body: { status: 'EVENT_RECEIVED' } };
    } catch (err) {
      outcome('unavailable');
      // 503 makes Meta redeliver later; nothing was acknowledged, so nothing is lost.
      if (err instanceof NotDurableError)
        deps.logger.warn({ requestId, reason: err.message }, 'webhook not acknowledged: writes not durable in time');
      else deps.logger.error({ requestId, err }, 'webhook not recorded: Redis unavailable');
      return { status: 503, body: { error: 'temporarily unavailable, retry later' } };
    }
  };
}
