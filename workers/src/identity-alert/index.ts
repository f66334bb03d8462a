export { identityAlertSchema, validateIdentityAlertConfig, type IdentityAlertConfig } from './identity-alert-config.js';
export {
  OwnerAlertService,
  ownerAlertJobId,
  ownerAlertSendKey,
  startOwnerAlerts,
  type OwnerAlertHooks,
  type OwnerAlertJob,
  type RunningOwnerAlerts,
} from './owner-alerts.js';
