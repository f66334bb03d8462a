import type { RedisClient } from '@medcita/shared';
import { Cluster, type Redis } from 'ioredis';

export type AckDurability = 'none' | 'replica' | 'aof';

/** Thrown when the writes of a delivery were not made durable in time: the webhook answers 503. */
export class NotDurableError extends Error {
  readonly code = 'ACK_NOT_DURABLE';
}

/**
 * What must be true of a delivery's writes before Meta gets its 200
 * (docs/operations.md, "Durable acknowledgements"). WAIT and WAITAOF cover
 * every write made earlier on the same connection, and the ingress writes on
 * one connection per Redis node, so one call sent after a delivery's writes
 * were answered covers them. Deliveries that ask in the same turn of the
 * event loop therefore share one call per node: it is sent once they have
 * all asked (on setImmediate), never joined once sent.
 */
export class AckGate {
  /** The call not sent yet, which a delivery asking now joins. */
  private next: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly mode: AckDurability,
    private readonly replicas: number,
    private readonly timeoutMs: number,
  ) {}

  /** Refuses a mode this Redis cannot honour; names the variable, since the fix is configuration. */
  async checkSupported(): Promise<void> {
    if (this.mode !== 'aof') return;
    for (const node of this.nodes()) {
      const info = await node.info('server');
      const version = /redis_version:(\d+)\.(\d+)/.exec(info);
      const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
      if (major < 7 || (major === 7 && minor < 2)) {
        throw new Error(
          `REDIS_ACK_DURABILITY=aof needs WAITAOF (Redis >= 7.2); this Redis is ${version?.[0]?.split(':')[1] ?? 'unknown'}. ` +
            'Use REDIS_ACK_DURABILITY=replica (WAIT) or none, or upgrade Redis.',
        );
      }
    }
  }

  /** Resolves once the writes are durable as configured; throws NotDurableError after the timeout. */
  confirm(): Promise<void> {
    if (this.mode === 'none') return Promise.resolve();
    return (this.next ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        // Whoever asks from now on has writes this call may not cover: they start the next one.
        this.next = undefined;
        Promise.all(this.nodes().map((node) => this.confirmOn(node))).then(() => resolve(), reject);
      });
    }));
  }

  private async confirmOn(node: Redis): Promise<void> {
    if (this.mode === 'replica') {
      const acked = Number(await node.call('WAIT', this.replicas, this.timeoutMs));
      if (acked < this.replicas)
        throw new NotDurableError(`${acked} of ${this.replicas} replica(s) acknowledged within ${this.timeoutMs} ms`);
      return;
    }
    // WAITAOF numlocal numreplicas timeout → [local fsyncs, replica fsyncs]
    const [local, replicas] = (await node.call('WAITAOF', 1, this.replicas, this.timeoutMs)) as [number, number];
    if (local < 1 || replicas < this.replicas) {
      throw new NotDurableError(
        `AOF fsync not confirmed within ${this.timeoutMs} ms (local ${local}, replicas ${replicas}/${this.replicas})`,
      );
    }
  }

  private nodes(): Redis[] {
    return this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
  }
}
