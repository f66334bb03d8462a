import type { WorkerOptions } from 'bullmq';
import { WORKER_METRICS } from './worker-metrics.js';
import { WORKER_NAME } from './worker-name.js';

/**
 * The options every BullMQ `Worker` of the fleet shares: registered under the
 * process's name and recording BullMQ's throughput metrics. Spread it into
 * each worker's own options, so a new worker cannot forget either.
 */
export const fleetWorkerOptions = (): Pick<WorkerOptions, 'name' | 'metrics'> => ({
  name: WORKER_NAME,
  metrics: WORKER_METRICS,
});
