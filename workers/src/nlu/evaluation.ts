import type { LabelledExample } from './dataset.js';
import type { NluResult } from './result.js';

export interface LabelStats {
  readonly label: string;
  readonly support: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface TaskReport {
  readonly total: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perLabel: LabelStats[];
  /** Most frequent (gold → predicted) mistakes. */
  readonly confusions: Array<{ gold: string; predicted: string; count: number; examples: string[] }>;
}

export interface Calibration {
  /** Mean intent confidence; close to intent accuracy when confidences are calibrated. */
  readonly meanConfidence: number;
  /** Expected calibration error over 10 confidence bins (0 = perfectly calibrated). */
  readonly ece: number;
  /** Share of messages flagged uncertain, and the intent accuracy on the rest. */
  readonly uncertainShare: number;
  readonly accuracyWhenConfident: number;
}

export interface EvaluationReport {
  readonly intent: TaskReport;
  readonly calibration: Calibration;
  /** Over the examples that carry a gold specialty; a missing prediction counts as "(none)". */
  readonly specialty: TaskReport;
}

function report(pairs: ReadonlyArray<{ gold: string; predicted: string; text: string }>): TaskReport {
  const labels = [...new Set(pairs.map((p) => p.gold))].sort();
  const perLabel = labels.map((label) => {
    const tp = pairs.filter((p) => p.gold === label && p.predicted === label).length;
    const support = pairs.filter((p) => p.gold === label).length;
    const predicted = pairs.filter((p) => p.predicted === label).length;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support, accuracy: recall, precision, recall, f1 };
  });
  const mistakes = new Map<string, { gold: string; predicted: string; count: number; examples: string[] }>();
  for (const p of pairs) {
    if (p.gold === p.predicted) continue;
    const key = `${p.gold}→${p.predicted}`;
    const entry = mistakes.get(key) ?? { gold: p.gold, predicted: p.predicted, count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < 3) entry.examples.push(p.text);
    mistakes.set(key, entry);
  }
  const correct = pairs.filter((p) => p.gold === p.predicted).length;
  return {
    total: pairs.length,
    accuracy: pairs.length === 0 ? 0 : correct / pairs.length,
    macroF1: perLabel.length === 0 ? 0 : perLabel.reduce((s, l) => s + l.f1, 0) / perLabel.length,
    perLabel,
    confusions: [...mistakes.values()].sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold)),
  };
}

/** Runs every example through `understand` and scores intents and specialties. */
export async function evaluate(
  examples: readonly LabelledExample[],
  understand: (text: string) => Promise<NluResult>,
): Promise<EvaluationReport> {
  const results = await Promise.all(examples.map((e) => understand(e.text)));
  const intentPairs = examples.map((e, i) => ({ gold: e.intent, predicted: (results[i] as NluResult).intent, text: e.text }));
  const specialtyPairs = examples.flatMap((e, i) =>
    e.specialty === undefined
      ? []
      : [{ gold: e.specialty, predicted: (results[i] as NluResult).specialty?.label ?? '(none)', text: e.text }],
  );
  return { intent: report(intentPairs), calibration: calibration(examples, results), specialty: report(specialtyPairs) };
}

function calibration(examples: readonly LabelledExample[], results: readonly NluResult[]): Calibration {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  let confident = 0;
  let confidentCorrect = 0;
  results.forEach((r, i) => {
    const correct = r.intent === examples[i]?.intent ? 1 : 0;
    const bin = bins[Math.min(9, Math.floor(r.confidence * 10))] as (typeof bins)[number];
    bin.n += 1;
    bin.confidence += r.confidence;
    bin.correct += correct;
    if (!r.uncertain) {
      confident += 1;
      confidentCorrect += correct;
    }
  });
  const n = results.length || 1;
  return {
    meanConfidence: results.reduce((sum, r) => sum + r.confidence, 0) / n,
    ece: bins.reduce((sum, b) => sum + (b.n === 0 ? 0 : (b.n / n) * Math.abs(b.confidence / b.n - b.correct / b.n)), 0),
    uncertainShare: (results.length - confident) / n,
    accuracyWhenConfident: confident === 0 ? 0 : confidentCorrect / confident,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Human-readable text of a report, as printed by `npm run nlu:eval`. */
export function formatReport(r: EvaluationReport): string {
  const lines: string[] = [];
  for (const [name, task] of [
    ['intent', r.intent],
    ['specialty', r.specialty],
  ] as const) {
    lines.push(`== ${name}: accuracy ${pct(task.accuracy)} (${task.total} examples), macro-F1 ${pct(task.macroF1)}`);
    for (const l of task.perLabel) {
      lines.push(
        `  ${l.label.padEnd(24)} n=${String(l.support).padStart(3)}  acc ${pct(l.accuracy).padStart(6)}  P ${pct(l.precision).padStart(6)}  F1 ${pct(l.f1).padStart(6)}`,
      );
    }
    if (name === 'intent') {
      const c = r.calibration;
      lines.push(
        `  calibration: mean confidence ${pct(c.meanConfidence)}, ECE ${pct(c.ece)}; ` +
          `${pct(c.uncertainShare)} flagged uncertain, accuracy on the rest ${pct(c.accuracyWhenConfident)}`,
      );
    }
    if (task.confusions.length > 0) lines.push('  confusions (gold → predicted):');
    for (const c of task.confusions.slice(0, 15)) {
      lines.push(`    ${c.gold} → ${c.predicted}: ${c.count}   e.g. ${c.examples.map((e) => JSON.stringify(e)).join(', ')}`);
    }
  }
  return lines.join('\n');
}
