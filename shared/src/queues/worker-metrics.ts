import { MetricsTime, type MetricsOptions } from 'bullmq';

/**
 * BullMQ's own throughput counters, on for every worker: completed and failed
 * jobs per minute, which Bull Board charts for each queue. A week of
 * one-minute points is two Redis lists of at most 10,080 short entries per queue.
 */
export const WORKER_METRICS: MetricsOptions = { maxDataPoints: MetricsTime.ONE_WEEK };
