import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClinicPort } from '@medcita/workers/clinic';
import { HttpProblem, routes } from './contract-routes.js';

/**
 * A failure the server plays, to test clients against a sick backend:
 * `status` answers that status instead, `hang` never answers, `late` does the
 * work and answers only after `afterMs` (the client has given up by then, the
 * effect stays). `match` limits it to requests whose "METHOD /path" it
 * matches; `times` to the next N of them (default: until cleared).
 */
export type Fault = ({ kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'late'; afterMs: number }) & {
  times?: number;
  match?: RegExp;
};

export interface ContractServerOptions {
  /** Expected bearer token; when unset, no auth is required. */
  token?: string;
  maxBodyBytes?: number;
}

export interface ContractServer {
  /** Starts listening (port 0 = any free port) and resolves the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** Plays `fault` instead of answering, for `fault.times` requests or until cleared with null. */
  setFault(fault: Fault | null): void;
  /** "METHOD /path" of every request received, faults included. */
  readonly requests: string[];
}

async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpProblem(413, 'solicitud_invalida');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the 400 below
  }
  throw new HttpProblem(400, 'solicitud_invalida');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Answers after `ms`: the request's effect happens at once, its response comes too late for the client. */
function lateBy(ms: number): typeof send {
  return (res, status, body) => {
    setTimeout(() => {
      if (!res.destroyed) send(res, status, body);
    }, ms).unref();
  };
}

/**
 * A reference implementation of docs/clinic-api.openapi.yaml over any
 * ClinicPort (usually the builtin one): the http adapter's contract tests run
 * against it, and pipeline tests or a dev setup can use it as a stand-in
 * clinic system, including injected faults.
 */
export function createContractServer(port: ClinicPort, opts: ContractServerOptions = {}): ContractServer {
  const table = routes(port);
  const requests: string[] = [];
  let fault: Fault | null = null;
  const limit = opts.maxBodyBytes ?? 16 * 1024;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const line = `${req.method} ${url.pathname}`;
    requests.push(line);
    const playing = fault && (!fault.match || fault.match.test(line)) ? fault : null;
    if (playing?.times !== undefined && --playing.times <= 0) fault = null;
    if (playing?.kind === 'hang') return; // never answers; the client's deadline must fire
    if (playing?.kind === 'status') return send(res, playing.status, { motivo: 'no_disponible' });
    const answer = playing?.kind === 'late' ? lateBy(playing.afterMs) : send;
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      return answer(res, 401, { motivo: 'no_autorizado' });
    }
    void (async () => {
      try {
        const matches = table.filter(([, pattern]) => pattern.test(url.pathname));
        if (matches.length === 0) throw new HttpProblem(404, 'no_encontrado');
        const route = matches.find(([method]) => method === req.method);
        if (!route) return answer(res, 405, { motivo: 'solicitud_invalida' });
        const params = route[1].exec(url.pathname)!.slice(1).map(decodeURIComponent);
        const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req, limit) : {};
        const header = req.headers['idempotency-key'];
        const [status, payload] = await route[2]({
          params,
          query: url.searchParams,
          body,
          idempotencyKey: typeof header === 'string' ? header : undefined,
        });
        answer(res, status, payload);
      } catch (err) {
        if (err instanceof HttpProblem) return answer(res, err.status, { motivo: err.motivo });
        answer(res, 500, { motivo: 'error_interno' });
      }
    })();
  });

  return {
    requests,
    setFault(next) {
      fault = next && { ...next };
    },
    listen(portNumber = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(portNumber, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://${host}:${bound}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
