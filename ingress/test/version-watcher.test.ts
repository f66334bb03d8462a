/** The inbox's server-sent events: an open page hears of every change to the handoff version. */
import { createLogger } from '@medcita/shared';
import { waitUntil } from '@medcita/testkit';
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { VersionWatcher } from '../src/inbox/version-watcher.js';

/** Just enough of an Express response to hold an event stream. */
class FakeStream extends EventEmitter {
  chunks: string[] = [];
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.emit('close');
  }
  get changes(): string[] {
    return this.chunks.filter((c) => c.startsWith('event: change')).map((c) => /data: (\S+)/.exec(c)![1]!);
  }
}

describe('VersionWatcher', () => {
  const logger = createLogger({ level: 'silent', service: 'test' });
  let version = 0;
  let watcher: VersionWatcher;
  beforeEach(() => {
    version = 0;
    watcher = new VersionWatcher(async () => String(version), logger, 10);
  });
  afterEach(() => watcher.close());

  it('tells a page that just opened about a change made before the first poll', async () => {
    const page = new FakeStream();
    watcher.subscribe(page as unknown as Response);
    version = 1; // e.g. a release right after the page rendered, before the watcher read its baseline
    await waitUntil(() => page.changes.includes('1'), 5000, 'change to version 1');
  });

  it('announces each later change once and stops polling when the last page closes', async () => {
    const page = new FakeStream();
    watcher.subscribe(page as unknown as Response);
    await waitUntil(() => page.changes.length > 0, 5000, 'first announcement');
    version = 2;
    await waitUntil(() => page.changes.includes('2'), 5000, 'change to version 2');
    expect(page.changes.filter((v) => v === '2')).toHaveLength(1);
    page.emit('close');
    expect(watcher.open).toBe(0);
  });
});
