import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

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
export function coalesceWrites(redis: Redis): void {
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
        process.nextTick(uncork);
      }
      return write(...args);
    };
  });
}
