import type { ConnectOptions } from '@medcita/shared';

/**
 * The worker's main Redis connection. `blocking`: it waits out Redis outages
 * (queued commands, endless reconnect) instead of failing turns. Writes leave
 * once per event-loop turn (`loop`, coalesce-writes.ts), not per tick: BullMQ
 * and the turn runner issue a turn's commands a few promise hops apart, often
 * past the tick in which the first was written, and concurrent turns' commands
 * come from separate I/O callbacks. Measured in bench:pipeline (booking, one
 * worker, three alternating pairs on a quiet machine): 3.13–3.35 → 3.01–3.16
 * ms worker CPU and 0.70–0.74 → 0.64–0.69 ms Redis CPU per turn.
 */
export const WORKER_CONNECTION: ConnectOptions = { role: 'blocking', connectionName: 'worker', coalesceWrites: 'loop' };
