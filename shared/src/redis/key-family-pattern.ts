// Reads a family's pattern as the key names it stands for, so the patient tools can tell which family a scanned key is.
export interface KeyPrefixes {
  /** KEY_PREFIX */
  p: string;
  /** CLINIC_KEY_PREFIX */
  c: string;
  /** QUEUE_PREFIX */
  q: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The key names one family's pattern stands for; `, :x` replaces the last segment of the first name. */
export function familyRegexes(pattern: string, prefixes: KeyPrefixes): RegExp[] {
  const [first, ...rest] = pattern.split(', ');
  const stem = first!.slice(0, first!.lastIndexOf(':'));
  const names = [first!, ...rest.map((r) => (r.startsWith(':') ? `${stem}${r}` : r))];
  return names.map((name) => {
    const source = name
      .split(/(<[pcq]>|<[^>]+>|…)/)
      .map((part) => {
        if (part === '<p>' || part === '<c>' || part === '<q>') return escape(prefixes[part[1] as keyof KeyPrefixes]);
        if (part === '…' || (part.startsWith('<') && part.endsWith('>'))) return '.+';
        return escape(part);
      })
      .join('');
    return new RegExp(`^${source}$`);
  });
}
