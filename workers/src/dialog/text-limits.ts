/** WhatsApp interactive limits (Cloud API reference). */
export const LIMITS = { rowTitle: 24, rowDescription: 72, buttonTitle: 20, listButton: 20, body: 1024 } as const;

/** Cuts text to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
