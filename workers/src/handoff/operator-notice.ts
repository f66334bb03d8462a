import { REASON_TEXT } from './operator-replies.js';

/**
 * A new-handoff notice for a Slack/Teams incoming webhook: the reason and how
 * many are open, never who the patient is or what they wrote.
 */
export function operatorNotifier(webhookUrl: string, inboxUrl?: string, timeoutMs = 3_000) {
  return async (notice: { reason: string; open: number }): Promise<void> => {
    const reason = REASON_TEXT[notice.reason] ?? notice.reason;
    const text = `Nueva conversación derivada a una persona (${reason}). Abiertas: ${notice.open}.${inboxUrl ? ` ${inboxUrl}` : ''}`;
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, event: 'handoff', reason: notice.reason, open: notice.open }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`operator webhook answered ${res.status}`);
  };
}
