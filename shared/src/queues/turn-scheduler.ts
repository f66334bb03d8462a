import { jobOptions } from './job-options.js';
import { JobName, type SessionTurnJob } from './queue-names.js';
import type { JobsOptions, Queue } from 'bullmq';

/**
 * Makes sure a session has a turn job coming. BullMQ deduplication keyed by
 * the session keeps at most one waiting job per session; `keepLastIfActive`
 * stores one more to be created when the active job finishes, which closes the
 * window between a worker seeing an empty inbox and its job completing: a
 * message pushed in that window always has a job after it (docs/architecture.md).
 */
export class TurnScheduler {
  /** The same for every job of this scheduler: built once, not per add (the ingress adds one per delivery). */
  private readonly options: JobsOptions;

  constructor(
    private readonly queue: Queue<SessionTurnJob>,
    private readonly attempts: number,
    /**
     * Failed jobs kept for operators (Bull Board): the newest this many, a
     * week at most. A count cap, so a bad day cannot fill Redis.
     */
    private readonly keepFailed = 5_000,
  ) {
    this.options = jobOptions[JobName.SessionTurn](this.attempts, this.keepFailed);
  }

  /** `delayMs` postpones the job (a follow-up after a turn that failed for good). */
  async schedule(sessionKey: string, delayMs = 0): Promise<void> {
    await this.queue.add(
      JobName.SessionTurn,
      { sessionKey },
      {
        ...this.options,
        deduplication: { id: sessionKey, keepLastIfActive: true },
        ...(delayMs > 0 ? { delay: delayMs } : {}),
      },
    );
  }
}
