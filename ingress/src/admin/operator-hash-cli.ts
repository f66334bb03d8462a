// `npm run operator:hash`: reads a password (hidden prompt on a terminal, or one line on stdin) and prints its scrypt hash
// for OPERATORS / OPERATORS_FILE (`<id>:<hash>`). The password is never echoed or logged.
import { createInterface } from 'node:readline';
import { hashPassword } from './operator-accounts.js';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  process.stderr.write('Contraseña del operador (no se muestra): ');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let value = '';
  return new Promise((resolve) => {
    process.stdin.on('data', (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    });
  });
}

try {
  process.stdout.write(`${await hashPassword(await readPassword())}\n`);
} catch (err) {
  process.stderr.write(`operator:hash: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
