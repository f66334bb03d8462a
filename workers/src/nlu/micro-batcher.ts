export interface MicroBatcherOptions<I, O> {
  /** Runs one batch; must return one output per input, in order. */
  readonly run: (inputs: I[]) => Promise<O[]>;
  /** Flush as soon as this many inputs wait. */
  readonly maxItems: number;
  /** Flush at the latest this long after the first input of a batch arrived. */
  readonly maxWaitMs: number;
  /** Called after every batch (metrics hook). */
  readonly onBatch?: (size: number, seconds: number) => void;
}

interface Pending<I, O> {
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Gathers concurrent single-item calls into batched calls. One batch runs at a
 * time: while it runs, new arrivals queue and go out together in the next one,
 * so under load batches grow by themselves and throughput follows concurrency.
 */
export class MicroBatcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;

  constructor(private readonly options: MicroBatcherOptions<I, O>) {}

  /** Resolves with the output for `input` once its batch has run. */
  submit(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('micro-batcher is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.options.maxItems) this.flushSoon(0);
      else if (this.timer === undefined) this.flushSoon(this.options.maxWaitMs);
    });
  }

  /** Rejects nothing already queued: waits for queued work, then refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.running) {
      if (!this.running) this.flushSoon(0);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  private flushSoon(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue.splice(0, this.options.maxItems);
    const started = performance.now();
    try {
      const outputs = await this.options.run(batch.map((p) => p.input));
      if (outputs.length !== batch.length) throw new Error(`batch returned ${outputs.length} outputs for ${batch.length} inputs`);
      batch.forEach((p, i) => p.resolve(outputs[i] as O));
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.running = false;
      this.options.onBatch?.(batch.length, (performance.now() - started) / 1000);
      // Whatever arrived while this batch ran goes out now: it has already waited.
      if (this.queue.length > 0) this.flushSoon(0);
    }
  }
}
