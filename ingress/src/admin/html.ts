/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Security headers of the server-rendered admin pages: scripts and styles only from these pages, never framed. */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

export function layout(opts: { title: string; body: string; csrf?: string; scripts?: boolean }): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${opts.csrf ? `<meta name="csrf-token" content="${esc(opts.csrf)}">` : ''}
<title>${esc(opts.title)} · medcita</title>
<link rel="stylesheet" href="/admin/assets/inbox.css">
${opts.scripts ? '<script src="/admin/assets/inbox.js" defer></script>' : ''}
</head>
<body>
${opts.body}
</body>
</html>`;
}
