/**
 * A keep-alive client with a request in flight at shutdown must neither lose
 * its answer nor hold the process open until keepAliveTimeout.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from '../../src/http/close-server.js';

function listen(handler: http.RequestListener): Promise<{ server: Server; port: number }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

function get(port: number, agent: http.Agent): Promise<{ status: number; body: string; socketClosed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, socketClosed }));
    });
    const socketClosed = new Promise<void>((r) => req.once('socket', (s) => s.once('close', () => r())));
    req.on('error', reject);
  });
}

describe('closeHttpServer', () => {
  it('lets an in-flight request finish, then closes its keep-alive socket instead of waiting 65 s', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const { server, port } = await listen((_req, res) => {
      arrived();
      setTimeout(() => res.end('answered'), 200);
    });
    const agent = new http.Agent({ keepAlive: true });
    const answer = get(port, agent);
    await inFlight;

    await closeHttpServer(server);

    const { status, body, socketClosed } = await answer;
    expect(status).toBe(200);
    expect(body).toBe('answered');
    await socketClosed;
    expect(server.listening).toBe(false);
    agent.destroy();
  });

  it('cuts a request that outlives the grace period', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => (arrived = r));
    const { server, port } = await listen(() => arrived()); // never answers
    const agent = new http.Agent({ keepAlive: true });
    const answer = get(port, agent).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    await inFlight;

    await closeHttpServer(server, 100);

    expect(await answer).toMatch(/socket hang up|ECONNRESET/);
    agent.destroy();
  });

  it('is a no-op on a server that is not listening', async () => {
    const { server } = await listen(() => undefined);
    await closeHttpServer(server);
    await expect(closeHttpServer(server)).resolves.toBeUndefined();
  });
});
