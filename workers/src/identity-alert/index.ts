export { identityAlertSchema, validateIdentityAlertConfig, type IdentityAlertConfig } from './identity-alert-config.js';
export { OwnerAlertService, ownerAlertJobId, ownerAlertSendKey, type OwnerAlertHooks, type OwnerAlertJob } from './owner-alerts.js';
export { startOwnerAlerts, type OwnerAlertsOptions, type RunningOwnerAlerts } from './start-owner-alerts.js';
