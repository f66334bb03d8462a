/**
 * The chaos soak of `npm run soak`, small: 1,000 messages from 100 sessions
 * through three worker processes while one worker is SIGKILLed and Redis is
 * shut down and started again, with 429/500 and late answers from the Graph
 * API, late status webhooks and Meta-like duplicate deliveries. The report
 * must find no lost, doubled or reordered message and no overlapping turns.
 */
import { REPO_ROOT } from '@medcita/testkit';
import { spawnSync } from 'node:child_process';
import { runSoak, DEFAULT_SOAK } from '../../tools/soak/run-soak.js';
import { summarize } from '../../tools/soak/report.js';

describe('npm run soak, bad flags', () => {
  const soak = (...args: string[]) =>
    spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'tools/soak/main.ts', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it.each([
    [['--bogus'], /soak: Unknown option '--bogus'/],
    [['--messages', 'many'], /soak: --messages must be an integer >= 1, got many/],
    [['--handler', 'parrot'], /soak: --handler is echo or dialog, got parrot/],
  ])('%j exits 2 naming the flag, without a stack trace and before starting anything', (args, message) => {
    const run = soak(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toMatch(/starting redis/);
  });
});

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
