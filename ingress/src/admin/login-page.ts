import { esc, layout } from './html.js';

export function loginPage(opts: { csrf: string; operator?: string; error?: string }): string {
  return layout({
    title: 'Ingresar',
    body: `<main class="login">
<h1>medcita · operadores</h1>
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="_csrf" value="${esc(opts.csrf)}">
<label for="operator">Usuario</label>
<input id="operator" name="operator" autocomplete="username" required value="${esc(opts.operator ?? '')}" autofocus>
<label for="password">Contraseña</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Ingresar</button>
</form>
</main>`,
  });
}
