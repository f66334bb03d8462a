/**
 * Polls `cond` until it holds; throws naming `what` after `timeoutMs`. The
 * way tests wait for an effect they cannot subscribe to, instead of sleeping.
 */
export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
