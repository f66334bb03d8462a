/** The inbox's only script: live updates over server-sent events, re-rendered by the server. */
export const INBOX_JS = `(() => {
  const main = document.querySelector('main[data-live]');
  if (!main) return;
  const url = main.dataset.live;
  let busy = false;
  let again = false;
  // Once a form is submitted the page is on its way out: a reload now would cancel that navigation
  // (a release would leave the operator on the closed conversation instead of the inbox).
  let leaving = false;
  document.addEventListener('submit', () => { leaving = true; });
  window.addEventListener('pageshow', (e) => { if (e.persisted) leaving = false; });
  const last = {};
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (leaving) return;
      if (res.status === 401) { location.href = '/admin/login'; return; }
      if (res.status === 404) { location.reload(); return; }
      if (!res.ok) return;
      const data = await res.json();
      for (const [id, html] of Object.entries(data.parts)) {
        const el = document.getElementById(id);
        if (!el || last[id] === html) continue;
        const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        el.innerHTML = html;
        last[id] = html;
        if (id === 'messages' && atBottom) el.scrollTop = el.scrollHeight;
      }
      const actions = document.getElementById('actions');
      if (actions && typeof data.actionsKey === 'string' && actions.dataset.key !== data.actionsKey) {
        actions.innerHTML = data.actions;
        actions.dataset.key = data.actionsKey;
      }
      main.dataset.version = String(data.version);
    } catch (err) {
      // The next change or the periodic refresh tries again.
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }
  const events = new EventSource('/admin/inbox/events');
  events.addEventListener('change', refresh);
  events.addEventListener('open', refresh);
  setInterval(refresh, 30000);
  const messages = document.getElementById('messages');
  if (messages) messages.scrollTop = messages.scrollHeight;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target instanceof HTMLTextAreaElement && e.target.form) {
      e.preventDefault();
      e.target.form.requestSubmit();
    }
  });
})();
`;

export const INBOX_CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,sans-serif;color:#1b1f24;background:#f4f6f8}
a{color:#0b5cad}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
header.top{display:flex;justify-content:space-between;align-items:center;gap:.5rem;padding:.5rem 1rem;background:#0b5cad;color:#fff}
header.top a,header.top .me{color:#fff;font-weight:600;text-decoration:none}
header.top form{margin:0}
button{font:inherit;padding:.55rem 1rem;border-radius:6px;border:1px solid #0b5cad;background:#fff;color:#0b5cad;cursor:pointer;min-height:44px}
button.primary{background:#0b5cad;color:#fff}
button.link{border:0;background:none;color:#fff;text-decoration:underline;min-height:auto;padding:0}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.3rem;margin:.5rem 0}
.rows{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.row a{display:grid;grid-template-columns:1fr auto;gap:.15rem .75rem;padding:.75rem;background:#fff;border-radius:8px;border-left:5px solid #d9822b;text-decoration:none;color:inherit}
.row.taken a{border-left-color:#2e8540}
.row .who{font-weight:600}
.row .wait{justify-self:end;color:#555}
.row .preview{grid-column:1/-1;color:#333;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.row .reason,.row .assignee{font-size:.9rem;color:#555}
.empty{color:#555}
.meta{color:#444;margin:.25rem 0 1rem}
#messages{max-height:60vh;overflow-y:auto;background:#fff;border-radius:8px;padding:.5rem}
.messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.4rem}
.msg{max-width:85%;padding:.45rem .65rem;border-radius:8px;display:flex;flex-direction:column}
.msg.in{align-self:flex-start;background:#e9edf1}
.msg.out{align-self:flex-end;background:#dcf3e0}
.msg.op{align-self:flex-end;background:#d6e6fa}
.msg .from{font-size:.75rem;color:#555}
.msg .text{white-space:pre-wrap;overflow-wrap:anywhere}
.msg .status{font-size:.75rem;color:#333;align-self:flex-end}
.note{align-self:center;font-size:.8rem;color:#666}
#actions{margin-top:1rem;display:grid;gap:1rem}
#actions form{display:grid;gap:.4rem}
textarea,input{font:inherit;padding:.5rem;border:1px solid #999;border-radius:6px;width:100%}
.window{background:#fff4e0;border:1px solid #d9822b;border-radius:8px;padding:.5rem .75rem}
.held{background:#eef5ee;padding:.6rem;border-radius:8px}
.error{background:#fde8e8;color:#8a1c1c;padding:.5rem;border-radius:6px}
.login{max-width:22rem}
.login form{display:grid;gap:.5rem}
@media (max-width:30rem){main{padding:.5rem}.msg{max-width:95%}.row a{grid-template-columns:1fr}.row .wait{justify-self:start}}
`;
