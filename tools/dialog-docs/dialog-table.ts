import { readFileSync, writeFileSync } from 'node:fs';
import { GLOBAL, STEPS, TRANSITIONS, type Step, type Transition } from '../../workers/src/dialog/index.js';

export const DIALOG_TABLE_START = '<!-- dialog-table:start -->';
export const DIALOG_TABLE_END = '<!-- dialog-table:end -->';

type Row = Partial<Record<string, Transition>>;

const cell = (steps: readonly string[]): string => steps.join(', ');

/** "Next": the usual step, then the failure paths; an action that may end on any step says so. */
function nextCell(next: readonly Step[]): string {
  const [usual, ...rest] = next;
  const other = [...new Set(rest)].filter((s) => s !== usual);
  if (next.length === STEPS.length && next.every((s, i) => s === STEPS[i])) return 'any step';
  if (STEPS.every((s) => s === usual || other.includes(s))) return `${usual} (else any step)`;
  return other.length === 0 ? usual! : `${usual} (else ${cell(other)})`;
}

function rowsOf(label: string, row: Row): string[] {
  // The step's own events in table order, its fallback last.
  const events = Object.keys(row).sort((a, b) => Number(a === '*') - Number(b === '*'));
  return events.map((event) => {
    const { action, next } = row[event]!;
    return `| ${label} | ${event === '*' ? 'anything else' : event} | ${action.name} | ${nextCell(next)} |`;
  });
}

/**
 * The transition table of docs/dialog.md, from `TRANSITIONS` and `GLOBAL`:
 * steps that share one row are listed together, global intents as "any",
 * and "Next" names the usual step first, then the failure paths.
 */
export function dialogTableMarkdown(): string {
  const groups = new Map<Row, Step[]>();
  for (const step of STEPS) {
    const row = TRANSITIONS[step] as Row;
    groups.set(row, [...(groups.get(row) ?? []), step]);
  }
  const lines = ['| Step | Event | Action | Next |', '|---|---|---|---|'];
  for (const [row, steps] of groups) lines.push(...rowsOf(cell(steps), row));
  lines.push(...rowsOf('any', GLOBAL));
  return lines.join('\n');
}

/** The table between the markers of a markdown file, trimmed. */
export function dialogTableIn(markdown: string): string {
  const a = markdown.indexOf(DIALOG_TABLE_START);
  const b = markdown.indexOf(DIALOG_TABLE_END);
  if (a < 0 || b < 0) throw new Error(`needs ${DIALOG_TABLE_START} and ${DIALOG_TABLE_END} markers`);
  return markdown.slice(a + DIALOG_TABLE_START.length, b).trim();
}

/** Rewrites the table of `file` from the code. */
export function writeDialogTable(file: string): void {
  const markdown = readFileSync(file, 'utf8');
  dialogTableIn(markdown);
  const a = markdown.indexOf(DIALOG_TABLE_START) + DIALOG_TABLE_START.length;
  writeFileSync(file, `${markdown.slice(0, a)}\n${dialogTableMarkdown()}\n${markdown.slice(markdown.indexOf(DIALOG_TABLE_END))}`);
}
