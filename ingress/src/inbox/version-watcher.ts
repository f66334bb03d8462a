import type { Logger } from '@medcita/shared';
import type { Response } from 'express';

/**
 * Server-sent events for the inbox pages. One timer per ingress process polls
 * the handoff version counter (a single GET) while any page is open and tells
 * every open page when it moved; the page then fetches its fresh HTML. Polling
 * one small key keeps this working on Redis Cluster and across ingress
 * replicas without a pub/sub connection per process.
 */
export class VersionWatcher {
  private readonly clients = new Set<Response>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private polling = false;

  constructor(
    private readonly version: () => Promise<string>,
    private readonly logger: Logger,
    private readonly intervalMs = 500,
  ) {}

  get open(): number {
    return this.clients.size;
  }

  subscribe(res: Response): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stop();
    });
    this.start();
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.heartbeat = setInterval(() => this.broadcast(': ping\n\n'), 20_000);
  }

  private stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
    this.last = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const v = await this.version();
      // The first poll after a start announces too: a change between a page's own fetch and this
      // poll would otherwise become the baseline and never reach that page.
      if (v !== this.last) this.broadcast(`event: change\ndata: ${v}\n\n`);
      this.last = v;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'inbox version poll failed');
    } finally {
      this.polling = false;
    }
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }

  /** Ends every open stream (the server cannot close while they stay open). */
  close(): void {
    this.stop();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
