/**
 * Waits for commands issued together, without an ioredis `Pipeline`: on the
 * worker's and the ingress's connections (coalesce-writes.ts) commands issued
 * in one event-loop turn leave in one socket write anyway, and building a
 * Pipeline copies every script defined on the client onto it (BullMQ defines
 * about sixty on the worker's), about 3 % of a worker's CPU per turn for the
 * three a turn built. Like a pipeline's results: every command runs, and the
 * first failure is thrown once all have answered.
 */
export async function allAnswered<T>(replies: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(replies);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
