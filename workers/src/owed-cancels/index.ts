export { startOwedCancels, type OwedCancelsOptions, type RunningOwedCancels } from './start-owed-cancels.js';
export { owedCancelJobId, type OwedCancelJob } from './owed-cancel-job.js';
export { OwedCancelService, type OwedCancelHooks, type OwedCancelOutcome } from './owed-cancel-service.js';
