import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';

type WritableSocket = Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };

const watched = new WeakSet<Socket>();

/**
 * Calls `onWrite` before every write the client's socket hands to the OS (one
 * `_write` or `_writev` each: one syscall), on its current socket and on every
 * socket it opens later. How the #14 tests count what a turn costs the wire.
 */
export function watchSocketWrites(redis: Redis, onWrite: () => void): void {
  const hook = (): void => {
    const socket = redis.stream as WritableSocket | undefined;
    if (!socket || watched.has(socket)) return;
    watched.add(socket);
    for (const name of ['_write', '_writev'] as const) {
      const original = socket[name].bind(socket);
      socket[name] = (...args: unknown[]) => {
        onWrite();
        original(...args);
      };
    }
  };
  if (redis.status === 'connect' || redis.status === 'ready') hook();
  redis.on('connect', hook);
}

/** The number of socket writes the client makes from now on (see `watchSocketWrites`). */
export function countSocketWrites(redis: Redis): { writes: number } {
  const counter = { writes: 0 };
  watchSocketWrites(redis, () => {
    counter.writes += 1;
  });
  return counter;
}
