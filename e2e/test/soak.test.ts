/**
 * The chaos soak of `npm run soak`, small: 1,000 messages from 100 sessions
 * through three worker processes while one worker is SIGKILLed and Redis is
 * shut down and started again, with 429/500 and late answers from the Graph
 * API, late status webhooks and Meta-like duplicate deliveries. The report
 * must find no lost, doubled or reordered message and no overlapping turns.
 */
import { runSoak, DEFAULT_SOAK } from '../../tools/soak/run-soak.js';
import { summarize } from '../../tools/soak/report.js';

describe('chaos soak, CI size', () => {
  it('loses, doubles and reorders nothing through a worker SIGKILL and a Redis restart', async () => {
    const report = await runSoak({
      ...DEFAULT_SOAK,
      messages: 1_000,
      sessions: 100,
      killEveryMs: 3_000,
      maxWorkerKills: 1,
      redisRestart: true,
      redisKill: false,
      // Far above what it needs; the jest timeout below is larger still, so a stuck run fails with the report.
      timeoutMs: 150_000,
    });
    // The whole report (figures, faults, every violation with its evidence) is the failure message.
    if (report.totalViolations > 0) throw new Error(summarize(report));
    expect(report.figures.handled).toBe(1_000);
    expect(report.faults.workerKills).toBe(1);
    expect(report.faults.chaos.filter((e) => e.kind === 'redis-graceful-restart')).toHaveLength(1);
    expect(report.faults.deliveries.duplicatesSamePost + report.faults.deliveries.duplicatesOtherPost).toBeGreaterThan(50);
  }, 300_000);
});
