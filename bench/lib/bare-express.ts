/**
 * The ingress benchmark's baseline: the least an Express webhook can do
 * (read the raw body, answer 200), in its own process like the ingress.
 * Prints `{"msg":"bare listening","port":N}` when ready.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.post('/webhook', express.raw({ type: () => true, limit: 3 * 1024 * 1024 }), (_req, res) => {
  res.status(200).json({ status: 'EVENT_RECEIVED' });
});
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(JSON.stringify({ msg: 'bare listening', port }) + '\n');
});
server.keepAliveTimeout = 65_000;
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
