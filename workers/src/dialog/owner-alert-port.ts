import type { SessionAddress } from '@medcita/shared';

/**
 * What the dialog needs to tell a document's registered phone that another
 * number tried the document (docs/dialog.md, "Identity"). The dialog decides
 * whether (once per document per period); the port only delivers.
 */
export interface OwnerAlertPort {
  /** Queues the alert to `owner`; idempotent per `attemptId`, so a retried turn alerts once. */
  alert(owner: SessionAddress, attemptId: string): Promise<void>;
  /** Another attempt of the period already alerted this document: nothing is sent. */
  suppressed(): void;
}
