import type { ServiceLine } from '@medcita/testkit';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<string, string> = { TRACE: '90', DEBUG: '90', INFO: '32', WARN: '33', ERROR: '31', FATAL: '35' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'req', 'res']);

/**
 * One service line as `name │ 14:05:01 INFO msg key=value…`, pino-pretty-ish
 * without the dependency. Non-JSON lines pass through with the prefix.
 */
export function formatServiceLine(name: string, line: ServiceLine, opts: { color?: boolean; width?: number } = {}): string {
  const color = opts.color ?? false;
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const prefix = paint('36', name.padEnd(opts.width ?? 8)) + ' │ ';
  const j = line.json;
  if (!j) return prefix + line.raw;
  const level = LEVELS[Number(j.level)] ?? JSON.stringify(j.level ?? '');
  const time = typeof j.time === 'number' ? new Date(j.time).toISOString().slice(11, 19) : '';
  const extras = Object.entries(j)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${prefix}${paint('90', time)} ${paint(COLORS[level] ?? '0', level.padEnd(5))} ${typeof j.msg === 'string' ? j.msg : JSON.stringify(j.msg ?? '')}${extras ? ' ' + paint('90', extras) : ''}`;
}
