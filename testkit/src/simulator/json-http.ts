import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY = 1_000_000;

export function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/** Waits `ms`; false (at once) when the client hangs up meanwhile. */
export async function waitOut(ms: number, res: ServerResponse): Promise<boolean> {
  let gone = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off('close', onClose);
      resolve();
    }
    function onClose() {
      gone = !res.writableEnded;
      done();
    }
    res.once('close', onClose);
  });
  return !gone && !res.destroyed;
}
