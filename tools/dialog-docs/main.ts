// Prints the dialog's transition table (`npm run docs:dialog`); with --write, refreshes it in docs/dialog.md.
import { dialogTableMarkdown, writeDialogTable } from './dialog-table.js';

if (process.argv.includes('--write')) writeDialogTable('docs/dialog.md');
else process.stdout.write(`${dialogTableMarkdown()}\n`);
