/**
 * Queue and job names. These strings are stored in Redis (BullMQ keys, Bull
 * Board, KEDA's list name): renaming one needs a migration, not a refactor.
 */
export const QueueName = {
  Turns: 'turns',
  /** Appointment reminders: the fleet-wide tick and one send job per appointment (workers/src/reminders). */
  Reminders: 'reminders',
  /** Operator replies to handed-off patients and handoff timers (workers/src/handoff). */
  OperatorReplies: 'operator-replies',
  /** Alerts to a document's registered phone when another number tries it (workers/src/identity-alert). */
  IdentityAlerts: 'identity-alerts',
  /** Cancels a reschedule still owes when the clinic did not answer, retried in the background (workers/src/owed-cancels). */
  OwedCancels: 'owed-cancels',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  /** Run the next turn(s) of one session from its inbox. */
  SessionTurn: 'session-turn',
  /** Reminders queue: find appointments entering the reminder window, enqueue one SendReminder each. */
  ReminderTick: 'reminder-tick',
  /** Reminders queue: remind one appointment (jobId `reminder:<kind>:<appointmentId>`). */
  SendReminder: 'send-reminder',
  /** Operator-replies queue: send one operator message (jobId = reply id). */
  OperatorReply: 'operator-reply',
  /** Operator-replies queue: a handoff's wait ran out. */
  HandoffTimeout: 'handoff-timeout',
  /** Identity-alerts queue: tell one registered phone its document was tried from another number. */
  OwnerAlert: 'owner-alert',
  /** Owed-cancels queue: cancel one replaced appointment (jobId from the appointment id). */
  OwedCancel: 'owed-cancel',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** Payload of a SessionTurn job: only the session; the messages live in its inbox. */
export interface SessionTurnJob {
  sessionKey: string;
}
