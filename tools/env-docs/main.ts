// Prints the configuration table (`npm run docs:env`); with --write, refreshes it in README.md and .env.example.
import { readFileSync, writeFileSync } from 'node:fs';
import { envExample, envTableMarkdown } from './env-table.js';

const START = '<!-- env-table:start -->';
const END = '<!-- env-table:end -->';
const table = envTableMarkdown();
if (process.argv.includes('--write')) {
  const readme = readFileSync('README.md', 'utf8');
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < 0) throw new Error(`README.md needs ${START} and ${END} markers`);
  writeFileSync('README.md', `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`);
  writeFileSync('.env.example', envExample());
} else {
  process.stdout.write(`${table}\n`);
}
