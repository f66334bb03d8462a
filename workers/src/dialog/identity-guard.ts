import { documentDigest, fleetKeys, luaScript, runScript, sessionKeys, type RedisClient } from '@medcita/shared';

const recordFailure = luaScript(import.meta.url, './lua/recordFailure-1.lua');
const chargeDocument = luaScript(import.meta.url, './lua/chargeDocument-1.lua');
const claimDocumentAlert = luaScript(import.meta.url, './lua/claimDocumentAlert-1.lua');

export interface IdentityGuardOptions {
  keyPrefix: string;
  /** Failures per session in the window before the session is locked out. */
  maxFailures: number;
  windowSeconds: number;
  /** Secret the document's key name is digested with, so Redis never holds a document in clear. */
  digestKey: string;
  /** Failures per document (from any phone) before back-off starts. */
  documentFreeFailures?: number;
  /** First back-off; each further failure doubles it, up to `documentMaxBackoffSeconds`. */
  documentBackoffSeconds?: number;
  documentMaxBackoffSeconds?: number;
}

/**
 * Failed identifications (docs/dialog.md, "Identity"), counted per session in
 * a window and per document across all phones with growing back-off. An
 * attempt counts as a failure from the moment the second factor is asked
 * for; only a success refunds it, so an abandoned or unverifiable attempt
 * stays counted.
 */
export interface IdentityLimiter {
  isLocked(sessionKey: string): Promise<boolean>;
  /** Records a session failure; true when the session is now locked. */
  recordFailure(sessionKey: string, attemptId: string): Promise<boolean>;
  /**
   * Starts a verification of `document`: counts it as a failure of the
   * session and of the document. False when the document is in back-off
   * (the session is still charged: probing locked documents counts too).
   */
  beginAttempt(sessionKey: string, document: string, attemptId: string, nowMs: number): Promise<boolean>;
  /** The attempt succeeded: it no longer counts as a failure. */
  refundAttempt(sessionKey: string, document: string, attemptId: string): Promise<void>;
  /**
   * Whether this attempt on `document` from another number tells the
   * registered phone: true for one attempt per document per longest back-off
   * (and again for that attempt when its turn is retried).
   */
  claimOwnerAlert(document: string, attemptId: string): Promise<boolean>;
}

/** Redis-backed limiter; the session key carries the session's hash tag, the document key its own. */
export class IdentityGuard implements IdentityLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: IdentityGuardOptions,
  ) {}

  private key(sessionKey: string): string {
    return sessionKeys(this.options.keyPrefix, sessionKey).identityFailures;
  }

  /** A keyed digest: an unkeyed hash of a document number is reversible by enumerating the numbers. */
  documentKey(document: string): string {
    return fleetKeys(this.options.keyPrefix).documentFailures(documentDigest(this.options.digestKey, document));
  }

  private alertKey(document: string): string {
    return fleetKeys(this.options.keyPrefix).documentAlert(documentDigest(this.options.digestKey, document));
  }

  async isLocked(sessionKey: string): Promise<boolean> {
    return (await this.redis.hlen(this.key(sessionKey))) >= this.options.maxFailures;
  }

  async recordFailure(sessionKey: string, attemptId: string): Promise<boolean> {
    const count = await runScript<number>(this.redis, recordFailure, [this.key(sessionKey)], [attemptId, this.options.windowSeconds]);
    return count >= this.options.maxFailures;
  }

  async beginAttempt(sessionKey: string, document: string, attemptId: string, nowMs: number): Promise<boolean> {
    const o = this.options;
    const wait = await runScript<number>(
      this.redis,
      chargeDocument,
      [this.documentKey(document)],
      [
        attemptId,
        nowMs,
        o.documentFreeFailures ?? 5,
        (o.documentBackoffSeconds ?? 60) * 1000,
        (o.documentMaxBackoffSeconds ?? 86_400) * 1000,
        o.windowSeconds * 1000,
      ],
    );
    await this.recordFailure(sessionKey, attemptId);
    return wait === 0;
  }

  async refundAttempt(sessionKey: string, document: string, attemptId: string): Promise<void> {
    // Two keys in two slots: two commands; a refund lost between them only over-counts, never under-counts.
    await this.redis.hdel(this.documentKey(document), attemptId);
    await this.redis.hdel(this.key(sessionKey), attemptId);
  }

  async claimOwnerAlert(document: string, attemptId: string): Promise<boolean> {
    const periodMs = (this.options.documentMaxBackoffSeconds ?? 86_400) * 1000;
    return (await runScript<number>(this.redis, claimDocumentAlert, [this.alertKey(document)], [attemptId, periodMs])) === 1;
  }
}
