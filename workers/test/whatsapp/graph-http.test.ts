/**
 * The transport contract of one Graph API call against real sockets: what
 * came back, and when nothing did, whether the request may have reached
 * Meta (`timeout`, `network`) or certainly did not (`refused`). The
 * exactly-once sender resends at once only after `refused`.
 */
import http from 'node:http';
import net from 'node:net';
import { postGraph } from '../../src/whatsapp/graph-http.js';

interface Server {
  url: string;
  /** TCP connections accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
}

interface TcpServer extends Server {
  /** Requests that reached the server (request lines seen). */
  requests: () => number;
  /** Whether the client closed (or reset) the first connection. */
  firstClosed: () => boolean;
}

/** A raw TCP server whose `onConnection` plays the misbehaving peer. */
async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<TcpServer> {
  let connections = 0;
  let requests = 0;
  let firstClosed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const first = ++connections === 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => (requests += chunk.toString().split('POST /').length - 1));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (first) firstClosed = true;
      sockets.delete(socket);
    });
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v23.0/${'1'.repeat(15)}/messages`,
    connections: () => connections,
    requests: () => requests,
    firstClosed: () => firstClosed,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An HTTP server answering every request with `respond`, counting its connections. */
async function httpServer(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Server & { bodies: string[] }> {
  const bodies: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      respond(req, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v23.0/${'1'.repeat(15)}/messages`,
    bodies,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const PAYLOAD = { messaging_product: 'whatsapp', to: '573001112233', type: 'text', text: { body: 'hola' } };

describe('one Graph API call', () => {
  const servers: Server[] = [];
  const serve = async <S extends Server>(s: Promise<S>): Promise<S> => {
    const server = await s;
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('returns the status and the parsed JSON answer, having sent the token and the JSON payload', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const graph = await serve(
      httpServer((req, res) => {
        seen = req.headers;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages: [{ id: 'wamid.X' }] }));
      }),
    );
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 200, body: { messages: [{ id: 'wamid.X' }] } });
    expect(result.transportError).toBeUndefined();
    expect(seen.authorization).toBe('Bearer EAAG-token');
    expect(seen['content-type']).toBe('application/json');
    expect(JSON.parse(graph.bodies[0]!)).toEqual(PAYLOAD);
  });

  it('keeps a non-JSON answer (a proxy’s HTML 502) as text', async () => {
    const graph = await serve(
      httpServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>')),
    );
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 502, body: '<html>Bad Gateway</html>' });
    expect(result.transportError).toBeUndefined();
  });

  it('reuses its connection across calls, error answers included', async () => {
    let n = 0;
    const graph = await serve(
      httpServer((_req, res) => {
        n++;
        if (n % 2 === 0) res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 100 } }));
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[]}');
      }),
    );
    for (let i = 0; i < 10; i++) {
      const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
      expect(result.status).toBe(i % 2 === 0 ? 200 : 400);
    }
    // undici reuses a socket one event-loop turn after its answer, so a call
    // made at once after the previous one may open a second; not one per call.
    expect(graph.connections()).toBeLessThanOrEqual(2);
  });

  it('is `refused` when nothing listens on the port: the request cannot have reached Meta', async () => {
    const port = await closedPort();
    const result = await postGraph(`http://127.0.0.1:${port}/v23.0/1/messages`, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 0, body: undefined, transportError: 'refused' });
  });

  it('is `refused` when the host does not resolve', async () => {
    // Generous: a slow resolver must answer (NXDOMAIN or EAI_AGAIN) before our timeout does.
    const result = await postGraph('http://graph.nonexistent.invalid/v23.0/1/messages', 'EAAG-token', PAYLOAD, 30_000);
    expect(result).toMatchObject({ status: 0, transportError: 'refused' });
  });

  it('is `network` when the server resets the connection mid-request: the request may have arrived', async () => {
    const graph = await serve(tcpServer((socket) => socket.once('data', () => socket.resetAndDestroy())));
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 0, body: undefined, transportError: 'network' });
  });

  it('is `network` when the server closes the connection after reading the request, without an answer', async () => {
    const graph = await serve(tcpServer((socket) => socket.once('data', () => socket.end())));
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 0, transportError: 'network' });
  });

  it('is `network` when the connection resets halfway through the answer', async () => {
    const graph = await serve(
      tcpServer((socket) =>
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"messages":');
          setTimeout(() => socket.resetAndDestroy(), 20);
        }),
      ),
    );
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 0, body: undefined, transportError: 'network' });
  });

  it('is `timeout` when the server never answers, and gives up at the timeout, dropping the connection', async () => {
    const graph = await serve(tcpServer(() => undefined));
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 300);
    expect(result).toMatchObject({ status: 0, body: undefined, transportError: 'timeout' });
    expect(result.seconds).toBeGreaterThanOrEqual(0.29);
    expect(result.seconds).toBeLessThan(5);
    await waitFor(() => graph.firstClosed());
    // An aborted POST is never sent again.
    expect(graph.requests()).toBe(1);
  });

  it('is `timeout` when the server sends its headers then stalls the body: the timeout covers the whole exchange', async () => {
    const graph = await serve(
      tcpServer((socket) =>
        socket.once('data', () =>
          socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"messages":'),
        ),
      ),
    );
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 300);
    expect(result).toMatchObject({ status: 0, body: undefined, transportError: 'timeout' });
    expect(result.seconds).toBeLessThan(5);
    // The half-read connection is not returned to the pool: it is closed.
    await waitFor(() => graph.firstClosed());
    expect(graph.requests()).toBe(1);
  });

  it('after a timeout, the next call succeeds on a fresh connection', async () => {
    let first = true;
    const graph = await serve(
      tcpServer((socket) =>
        socket.on('data', () => {
          if (first) {
            first = false;
            return; // never answers the first request
          }
          socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
        }),
      ),
    );
    expect((await postGraph(graph.url, 'EAAG-token', PAYLOAD, 200)).transportError).toBe('timeout');
    const result = await postGraph(graph.url, 'EAAG-token', PAYLOAD, 2_000);
    expect(result).toMatchObject({ status: 200, body: {} });
    await waitFor(() => graph.firstClosed());
    expect(graph.requests()).toBe(2);
  });
});

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
