import type { ReplyStatus, TranscriptLine } from '@medcita/shared';
import { esc, layout } from '../admin/html.js';
import { REASON_LABELS, type Conversation, type InboxRow } from './inbox-service.js';

const KIND_LABELS: Record<string, string> = {
  image: '📷 Imagen',
  audio: '🎤 Audio',
  video: '🎬 Video',
  document: '📄 Documento',
  sticker: 'Sticker',
  location: '📍 Ubicación',
  contacts: '👤 Contacto',
  reaction: 'Reacción',
  unknown: 'Mensaje no compatible',
};
const STATUS_LABELS: Record<ReplyStatus, string> = {
  queued: '🕓 en cola',
  sent: '✓ enviado',
  delivered: '✓✓ entregado',
  read: '✓✓ leído',
  failed: '⚠ no enviado',
  window_closed: '⚠ ventana cerrada',
};

export function waited(fromMs: number, nowMs: number): string {
  const min = Math.max(0, Math.floor((nowMs - fromMs) / 60_000));
  if (min < 1) return 'menos de 1 min';
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const who = (r: InboxRow) => `${r.firstName ?? 'Paciente sin identificar'} · ${r.maskedPhone ?? 'sin teléfono'}`;
export const conversationUrl = (sessionKey: string) => `/admin/inbox/c/${encodeURIComponent(sessionKey)}`;

function preview(r: InboxRow): string {
  if (!r.preview) return '';
  const p = r.preview;
  const body = p.text ?? KIND_LABELS[p.kind] ?? p.kind;
  const from = p.dir === 'in' ? '' : p.dir === 'op' ? 'Operador: ' : 'Asistente: ';
  return `${from}${[...body].slice(0, 80).join('')}${[...body].length > 80 ? '…' : ''}`;
}

export function listFragment(rows: InboxRow[], now: number, me: string): string {
  if (rows.length === 0) return '<p class="empty">No hay conversaciones derivadas. Esta lista se actualiza sola.</p>';
  return `<ol class="rows">${rows
    .map(
      (r) => `<li class="row${r.assignee ? ' taken' : ''}" data-session="${esc(r.sessionKey)}">
<a href="${esc(conversationUrl(r.sessionKey))}">
<span class="who">${esc(who(r))}</span>
<span class="reason">${esc(REASON_LABELS[r.reason] ?? r.reason)}</span>
<span class="wait">Esperando ${esc(waited(r.flaggedAt, now))}</span>
<span class="preview">${esc(preview(r))}</span>
<span class="assignee">${r.assignee ? `Tomada por ${esc(r.assignee === me ? `ti (${r.assignee})` : r.assignee)}` : 'Sin tomar'}</span>
</a></li>`,
    )
    .join('\n')}</ol>`;
}

function topBar(operator: string, csrf: string): string {
  return `<header class="top"><a href="/admin/inbox" class="brand">Bandeja</a>
<form method="post" action="/admin/logout"><input type="hidden" name="_csrf" value="${esc(csrf)}"><span class="me">${esc(operator)}</span> <button type="submit" class="link">Salir</button></form></header>`;
}

export function listPage(rows: InboxRow[], now: number, operator: string, csrf: string): string {
  return layout({
    title: 'Bandeja',
    csrf,
    scripts: true,
    body: `${topBar(operator, csrf)}
<main data-live="/admin/inbox/live">
<h1>Conversaciones derivadas</h1>
<div id="live" aria-live="polite">${listFragment(rows, now, operator)}</div>
</main>`,
  });
}

function lineHtml(l: TranscriptLine, statuses: Record<string, ReplyStatus>, at: (ms: number) => string): string {
  if (l.dir === 'note') {
    const text =
      l.kind === 'handoff'
        ? 'El asistente derivó la conversación'
        : l.kind === 'released'
          ? `${l.operator ?? ''} la devolvió al asistente`
          : l.kind === 'timeout'
            ? 'Nadie la tomó a tiempo; el asistente retomó'
            : l.kind;
    return `<li class="note">${esc(text)} · ${esc(at(l.at))}</li>`;
  }
  const body = l.text !== undefined && l.text !== '' ? esc(l.text) : `<em>${esc(KIND_LABELS[l.kind] ?? l.kind)}</em>`;
  const media = l.text && KIND_LABELS[l.kind] ? `<em>${esc(KIND_LABELS[l.kind])}</em> ` : '';
  const from = l.dir === 'in' ? 'Paciente' : l.dir === 'out' ? 'Asistente' : `Operador ${l.operator ?? ''}`;
  const status =
    l.dir === 'op' && statuses[l.id]
      ? `<span class="status" data-status="${esc(statuses[l.id])}">${esc(STATUS_LABELS[statuses[l.id]!])}</span>`
      : '';
  return `<li class="msg ${l.dir}" data-id="${esc(l.id)}"><span class="from">${esc(from)} · ${esc(at(l.at))}</span><span class="text">${media}${body}</span>${status}</li>`;
}

export interface ConversationView {
  header: string;
  messages: string;
  actions: string;
  /** Changes only when the actions must be redrawn (so typing in the reply box is never wiped). */
  actionsKey: string;
}

export function conversationView(c: Conversation, now: number, operator: string, csrf: string, timeZone: string): ConversationView {
  const fmt = new Intl.DateTimeFormat('es', { timeZone, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' });
  const at = (ms: number) => fmt.format(new Date(ms));
  const r = c.row;
  const mine = c.handoff.assignee === operator;
  const url = conversationUrl(r.sessionKey);
  const hidden = `<input type="hidden" name="_csrf" value="${esc(csrf)}">`;
  const header = `<h1>${esc(who(r))}</h1>
<p class="meta"><span class="reason">${esc(REASON_LABELS[r.reason] ?? r.reason)}</span> · <span class="wait">Esperando ${esc(waited(r.flaggedAt, now))}</span> · <span class="assignee">${c.handoff.assignee ? `Tomada por ${esc(mine ? `ti (${operator})` : c.handoff.assignee)}` : 'Sin tomar'}</span></p>`;
  const messages = `<ol class="messages">${c.lines.map((l) => lineHtml(l, c.statuses, at)).join('\n')}</ol>`;
  let actions: string;
  if (!c.handoff.assignee) {
    actions = `<form method="post" action="${esc(url)}/take">${hidden}<button type="submit" class="primary">Tomar</button></form>`;
  } else if (!mine) {
    actions = `<p class="held" role="status">Tomada por ${esc(c.handoff.assignee)}. Solo esa persona puede responder.</p>`;
  } else {
    const closed = c.windowClosed
      ? `<div class="window" role="alert"><p>La ventana de 24 horas está cerrada: WhatsApp no entrega mensajes libres hasta que el paciente vuelva a escribir.</p>
<form method="post" action="${esc(url)}/reply">${hidden}<input type="hidden" name="template" value="1"><button type="submit">Enviar plantilla de reenganche</button></form></div>`
      : '';
    actions = `${closed}<form method="post" action="${esc(url)}/reply" class="reply">${hidden}
<label for="reply-text">Respuesta</label>
<textarea id="reply-text" name="text" rows="3" maxlength="4096" required></textarea>
<button type="submit" class="primary">Enviar</button></form>
<form method="post" action="${esc(url)}/release" class="release">${hidden}
<label for="closing">Mensaje de cierre (opcional)</label>
<input id="closing" name="closing" maxlength="1000">
<button type="submit">Devolver al asistente</button></form>`;
  }
  return { header, messages, actions, actionsKey: `${c.handoff.assignee ?? ''}|${mine}|${c.windowClosed}` };
}

export function conversationPage(view: ConversationView, sessionKey: string, operator: string, csrf: string, error?: string): string {
  return layout({
    title: 'Conversación',
    csrf,
    scripts: true,
    body: `${topBar(operator, csrf)}
<main data-live="${esc(conversationUrl(sessionKey))}/live">
<p><a href="/admin/inbox">← Volver a la bandeja</a></p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<section id="header">${view.header}</section>
<section id="messages" aria-live="polite">${view.messages}</section>
<section id="actions" data-key="${esc(view.actionsKey)}">${view.actions}</section>
</main>`,
  });
}

export function closedPage(operator: string, csrf: string): string {
  return layout({
    title: 'Conversación cerrada',
    csrf,
    body: `${topBar(operator, csrf)}<main><p>Esta conversación ya no está derivada (se devolvió al asistente o venció).</p><p><a href="/admin/inbox">← Volver a la bandeja</a></p></main>`,
  });
}
