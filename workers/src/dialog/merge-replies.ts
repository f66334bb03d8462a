import type { OutboundMessage } from '@medcita/shared';

/** Most messages one turn sends: WhatsApp users read a burst of bubbles as spam. */
export const MAX_REPLIES = 4;

/**
 * Combines the replies of a coalesced turn: identical messages go once, and
 * consecutive plain texts join into one bubble. When more than MAX_REPLIES
 * remain, the latest win, since they answer the newest state.
 */
export function mergeReplies(replies: OutboundMessage[]): OutboundMessage[] {
  const seen = new Set<string>();
  const merged: OutboundMessage[] = [];
  for (const reply of replies) {
    const key = JSON.stringify(reply);
    if (seen.has(key)) continue;
    seen.add(key);
    const last = merged[merged.length - 1];
    if (reply.kind === 'text' && last?.kind === 'text' && last.body.length + reply.body.length < 900) {
      merged[merged.length - 1] = { kind: 'text', body: `${last.body}\n\n${reply.body}` };
    } else {
      merged.push(reply);
    }
  }
  return merged.slice(-MAX_REPLIES);
}
