import type { InboxEntry } from '@medcita/shared';
import type { DialogState } from './dialog-state.js';
import { parseReplyId } from './reply-ids.js';

// Typed answers to a reminder ("confirmo", "cancelar"), read as such only right after one and outside other flows.
const TYPED_CONFIRM = /^\s*(?:s[ií][,.!]?\s+)?(?:confirmo|confirmar|confirmada|confirmado|confirmamos)\b/i;
const TYPED_CANCEL = /^\s*(?:cancelar|cancelo|cancela|cancelarla|cancelala|cancélala)\b/i;
const REMINDER_REPLY_STEPS = new Set(['INICIAL', 'VALIDADO', 'CITA_AGENDADA', 'FINALIZADO']);

/**
 * A reply to a reminder: a tapped reminder button (template quick reply or
 * interactive button; the payload names the appointment), or "confirmo" /
 * "cancelar" typed while the session's last reminder is pending and no
 * other flow is open.
 */
export function reminderReply(
  entry: InboxEntry,
  state: DialogState,
  pendingReminder: string | null | undefined,
): { action: 'confirm' | 'cancel'; appointmentId: string } | undefined {
  const tapped = parseReplyId(entry.message.replyId);
  if (tapped?.kind === 'reminder') return { action: tapped.action, appointmentId: tapped.appointmentId };
  const text = entry.message.text ?? '';
  if (!pendingReminder || entry.message.replyId || !REMINDER_REPLY_STEPS.has(state.step)) return undefined;
  if (TYPED_CONFIRM.test(text)) return { action: 'confirm', appointmentId: pendingReminder };
  if (TYPED_CANCEL.test(text)) return { action: 'cancel', appointmentId: pendingReminder };
  return undefined;
}
