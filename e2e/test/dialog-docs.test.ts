/** docs/dialog.md's transition table must be the one generated from the dialog's code. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@medcita/testkit';
import { dialogTableIn, dialogTableMarkdown } from '../../tools/dialog-docs/dialog-table.js';

describe('dialog docs', () => {
  it('docs/dialog.md shows the transition table as the code has it (npm run docs:dialog -- --write)', () => {
    expect(dialogTableIn(readFileSync(path.join(REPO_ROOT, 'docs/dialog.md'), 'utf8'))).toBe(dialogTableMarkdown());
  });

  it('names every step, and each action by its own name', () => {
    const table = dialogTableMarkdown();
    for (const step of ['INICIAL', 'VERIFICANDO', 'CITA_SELECCIONADA', 'REGISTRO_FAMILIAR']) expect(table).toContain(`| ${step} |`);
    expect(table).toContain('| CITA_SELECCIONADA | yes | book | CITA_AGENDADA (else CITAS_MOSTRADAS, VALIDADO, CITA_SELECCIONADA) |');
    expect(table).not.toMatch(/\| (?:anonymous)? \|/);
  });
});
