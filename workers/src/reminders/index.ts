export { remindersSchema, validateRemindersConfig, type RemindersConfig } from './reminder-config.js';
export { ReminderService, type ReminderMetricsHooks } from './reminder-service.js';
export { reminderJobId, reminderSendKey, type SendReminderJob } from './reminder-job.js';
export { ReminderStore, type ReminderKind, type ReminderMode } from './reminder-store.js';
export { startReminders, REMINDER_SCHEDULER_ID, type RunningReminders } from './start-reminders.js';
export { FailedStatusWatcher, STATUS_GROUP } from './failed-status-watcher.js';
