// Tests talk to a real Redis at REDIS_URL (default 127.0.0.1:6379). When none
// answers and redis-server is installed, start one for the run, so
// `npm ci && npm test` works on a fresh machine; stop it afterwards.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');

const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
const host = url.hostname;
const port = Number(url.port || 6379);

function ping() {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(String(d).startsWith('+PONG')));
    s.on('error', () => done(false));
  });
}

module.exports = async function setup() {
  if (await ping()) return;
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new Error(`No Redis answers at ${url.href} and redis-server is not installed (apt-get install redis-server).`);
  }
  const child = spawn('redis-server', ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    detached: false,
  });
  globalThis.__MEDCITA_REDIS__ = child;
  for (let i = 0; i < 100; i += 1) {
    if (await ping()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`started redis-server on ${host}:${port} but it does not answer`);
};
