export { remindersSchema, validateRemindersConfig, type RemindersConfig } from './reminder-config.js';
export { ReminderService, reminderJobId, reminderSendKey, type SendReminderJob, type ReminderMetricsHooks } from './reminder-service.js';
export { ReminderStore, type ReminderKind, type ReminderMode } from './reminder-store.js';
export { startReminders, REMINDER_SCHEDULER_ID, type RunningReminders } from './start-reminders.js';
export { FailedStatusWatcher, STATUS_GROUP } from './failed-status-watcher.js';
