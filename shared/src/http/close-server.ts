import type { Server } from 'node:http';

/**
 * Stops accepting connections and resolves once every open one has ended.
 *
 * `server.close()` alone only drops connections that are idle at that instant:
 * a request still in flight leaves its keep-alive socket open afterwards until
 * `keepAliveTimeout` (65 s on the ingress, to outlive Meta's idle timeout),
 * longer than an orchestrator's grace period. So idle sockets are swept until
 * the server is empty, and whatever is still busy after `graceMs` is cut.
 */
export async function closeHttpServer(server: Server, graceMs = 10_000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    server.closeIdleConnections();
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
