import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

/**
 * When the corked writes leave: `tick`, once the code that wrote has run
 * (process.nextTick); `loop`, once the event loop has run every I/O callback
 * that was ready (setImmediate). `loop` suits the ingress: each HTTP request
 * is its own I/O callback, and BullMQ issues its add a few promise hops after
 * the inbox push, past the tick, so per tick it would take two writes per
 * delivery; per loop turn it is one write for all the deliveries read in
 * that turn, which also saves Redis a read per delivery.
 */
export type WriteFlush = 'tick' | 'loop';

/**
 * Makes the commands a client issues before the event loop moves on leave in
 * one socket write instead of one each. ioredis writes every command to its
 * socket at once, and on a worker each write is a syscall: about a sixth of
 * a turn's CPU (#14). Corking the socket until the next tick lets Node send
 * everything written meanwhile with one writev.
 *
 * Unlike ioredis auto-pipelining, nothing waits for a reply before the next
 * batch (auto-pipelining keeps one batch in flight per node, which halved a
 * worker's turns/s in bench:pipeline), and commands keep their order and
 * their connection, so scripts, MULTI and BullMQ behave as before. Applied
 * to every socket the client opens (each reconnect makes a new one).
 */
export function coalesceWrites(redis: Redis, flush: WriteFlush = 'tick'): void {
  const later = (fn: () => void): void => {
    if (flush === 'tick') process.nextTick(fn);
    else setImmediate(fn);
  };
  redis.on('connect', () => {
    const stream: Socket = redis.stream;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    let corked = false;
    const uncork = (): void => {
      corked = false;
      stream.uncork();
    };
    stream.write = (...args: unknown[]): boolean => {
      if (!corked) {
        corked = true;
        stream.cork();
        later(uncork);
      }
      return write(...args);
    };
  });
}
