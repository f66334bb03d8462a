/**
 * `npm run chat`: talk to the bot as a WhatsApp user, through the real
 * pipeline of a stack started by `npm run dev`. Each line goes out as a signed
 * webhook; the bot's replies are read back from the fake Graph API.
 *
 *   npm run chat [-- --phone 59170000001] [--name "Ana"] [--ingress URL --graph URL --secret S] [--wait-ms 15000]
 *
 * Piped stdin works too (`printf 'hola\n/quit\n' | npm run chat`): then each
 * line waits for the bot's answer before the next one is sent.
 */
import { inbound, RemoteFakeGraph, WebhookSender, webhookBody, type SentRecord, type SimUser } from '@medcita/testkit/simulator';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CHAT_HELP, parseChatLine, renderReply, type RenderedReply } from './chat-render.js';
import { readDevState } from '../dev/dev-state.js';

const { values: flags } = parseArgs({
  options: {
    phone: { type: 'string', default: '59170000001' },
    name: { type: 'string', default: 'Paciente Demo' },
    ingress: { type: 'string' },
    graph: { type: 'string' },
    secret: { type: 'string' },
    'wait-ms': { type: 'string', default: '15000' },
    'poll-ms': { type: 'string', default: '250' },
  },
});

const interactive = process.stdin.isTTY === true;
const out = (s: string) => process.stdout.write(s + '\n');
const NOT_RUNNING =
  'chat: no running stack found. Start one with `npm run dev` in another terminal, then run `npm run chat` again\n' +
  '      (or pass --ingress http://127.0.0.1:3000 --graph http://127.0.0.1:8787 --secret <WHATSAPP_APP_SECRET>).';

async function reachable(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );
}

async function main(): Promise<number> {
  const state = readDevState();
  const ingressUrl = flags.ingress ?? state?.ingressUrl;
  const graphUrl = flags.graph ?? state?.fakeGraphUrl;
  const secret = flags.secret ?? state?.appSecret ?? process.env.WHATSAPP_APP_SECRET;
  if (!ingressUrl || !graphUrl || !secret) {
    process.stderr.write(NOT_RUNNING + '\n');
    return 1;
  }
  if (!(await reachable(`${ingressUrl}/healthz`)) || !(await reachable(`${graphUrl}/__sim/requests`))) {
    process.stderr.write(`chat: the stack at ${ingressUrl} / ${graphUrl} does not answer.\n${NOT_RUNNING}\n`);
    return 1;
  }
  const waitMs = Number(flags['wait-ms']);
  const pollMs = Number(flags['poll-ms']);
  const user: SimUser = { waId: flags.phone, name: flags.name };
  const sender = new WebhookSender({ url: `${ingressUrl}/webhook`, appSecret: secret });
  const graph = new RemoteFakeGraph(graphUrl);

  const mine = (all: SentRecord[]) => all.filter((r) => r.to === user.waId);
  let shown = mine(await graph.sent()).length; // earlier conversation stays in the past
  let lastWithOptions: RenderedReply | undefined;
  let replies = 0;
  let pollFailures = 0;

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  rl.setPrompt('tú › ');
  const show = (record: SentRecord) => {
    const r = renderReply(record);
    if (r.options) lastWithOptions = r;
    if (interactive) process.stdout.write('\r\x1b[K');
    out(`bot › ${r.lines.join('\n      ')}`);
    if (interactive) rl.prompt(true);
  };
  const poll = async () => {
    try {
      const records = mine(await graph.sent());
      pollFailures = 0;
      if (records.length < shown) shown = 0; // the stack was restarted
      for (const record of records.slice(shown)) {
        show(record);
        replies += 1;
      }
      shown = records.length;
    } catch {
      if (++pollFailures === 8) out('chat: lost the fake Graph API; is `npm run dev` still running?');
    }
  };
  let polling = true;
  const pollLoop = (async () => {
    while (polling) {
      await poll();
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  /** Piped input: wait for the bot's answer (and a short quiet time for multi-message turns). */
  const awaitAnswer = async (before: number) => {
    const deadline = Date.now() + waitMs;
    while (replies === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, pollMs));
    if (replies === before) return out(`chat: no answer within ${waitMs} ms`);
    let seen: number;
    do {
      seen = replies;
      await new Promise((r) => setTimeout(r, Math.max(600, pollMs * 3)));
    } while (replies !== seen);
  };

  out(`chat: you are ${user.name} (wa_id ${user.waId}) writing to ${ingressUrl}. /help for commands, /quit to leave.`);
  if (interactive) rl.prompt();
  let code = 0;
  for await (const line of rl) {
    const cmd = parseChatLine(line, lastWithOptions);
    if (cmd.action === 'quit') break;
    if (cmd.action === 'help') out(CHAT_HELP);
    if (cmd.action === 'error') out(`chat: ${cmd.message}`);
    if (cmd.action === 'send') {
      if (!interactive) out(`tú › ${cmd.echo}`);
      const before = replies;
      const item = inbound(user, cmd.content, cmd.contextId === undefined ? {} : { contextId: cmd.contextId });
      const res = await sender.post(webhookBody([item])).catch((err: Error) => ({ status: 0, body: err.message }));
      if (res.status !== 200) {
        out(`chat: the ingress answered ${res.status || 'nothing'}: ${JSON.stringify(res.body)}`);
        code = 1;
      } else if (!interactive) {
        await awaitAnswer(before);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  polling = false;
  await pollLoop;
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`chat: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
