import { createLogger } from '@medcita/shared';
import type { Redis } from 'ioredis';
import { pipelineTextsEs } from '../../src/pipeline/pipeline-texts.js';
import { TurnJournal } from '../../src/pipeline/turn-journal.js';
import { TurnRunner, type TurnRunnerDeps, type TurnRunnerOptions } from '../../src/pipeline/turn-runner.js';

/**
 * A TurnRunner over real Redis with what a test does not vary: a silent
 * logger, the Spanish texts and a 100-entry journal under `keyPrefix`, its
 * entries kept `journalMaxAgeMs`.
 */
export function testTurnRunner(
  redis: Redis,
  keyPrefix: string,
  deps: Omit<TurnRunnerDeps, 'logger' | 'texts' | 'journal'>,
  options: TurnRunnerOptions,
  journalMaxAgeMs = 60_000,
): TurnRunner {
  return new TurnRunner(
    {
      ...deps,
      logger: createLogger({ level: 'silent', service: 'test' }),
      texts: pipelineTextsEs,
      journal: new TurnJournal(redis, { keyPrefix, maxLength: 100, maxAgeMs: journalMaxAgeMs }),
    },
    options,
  );
}
