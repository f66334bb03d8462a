/**
 * Standalone fake Graph API for local runs and benchmarks:
 *   node --conditions=source --import tsx testkit/src/simulator/fake-graph-main.ts [port]
 * Port from argv, else FAKE_GRAPH_PORT, else ephemeral. FAKE_GRAPH_ACCESS_TOKEN,
 * when set, is the only bearer token accepted. With FAKE_GRAPH_STATUS_WEBHOOK
 * (the ingress's /webhook URL) and WHATSAPP_APP_SECRET, every accepted
 * message is reported back as a signed "sent" status, as Meta does.
 * Prints the URL on stdout.
 */
import { FakeGraphApi } from './fake-graph-api.js';

const portArg = process.argv[2] ?? process.env.FAKE_GRAPH_PORT;
const port = portArg === undefined || portArg === '' ? 0 : Number(portArg);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`fake-graph: bad port "${portArg}"`);
  process.exit(1);
}

const accessToken = process.env.FAKE_GRAPH_ACCESS_TOKEN || undefined;
const fake = await FakeGraphApi.start({ port, ...(accessToken === undefined ? {} : { accessToken }) });
const statusWebhook = process.env.FAKE_GRAPH_STATUS_WEBHOOK;
if (statusWebhook) {
  const appSecret = process.env.WHATSAPP_APP_SECRET;
  if (!appSecret) {
    console.error('fake-graph: FAKE_GRAPH_STATUS_WEBHOOK needs WHATSAPP_APP_SECRET to sign the statuses');
    process.exit(1);
  }
  fake.sendStatusesTo({ url: statusWebhook, appSecret });
}
process.stdout.write(`${fake.url}\n`);

const shutdown = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
