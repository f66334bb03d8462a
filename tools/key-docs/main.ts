// Prints the table of Redis key families (`npm run docs:keys`); with --write, refreshes it in docs/operations.md.
import { keyFamiliesTable } from '@medcita/shared';
import { writeKeyTable } from './key-docs.js';

if (process.argv.includes('--write')) writeKeyTable('docs/operations.md');
else process.stdout.write(`${keyFamiliesTable()}\n`);
