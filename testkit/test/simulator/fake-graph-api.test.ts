import { FakeGraphApi, RemoteFakeGraph } from '@medcita/testkit/simulator';

const TOKEN = 'EAAG-test-token';
const PN = '106540352242922';

const textPayload = (to: string, body = 'Hola') => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
});

async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
}

describe(FakeGraphApi.name, () => {
  let fake: FakeGraphApi;
  const post = (payload: unknown, token = TOKEN, signal?: AbortSignal) =>
    fetch(`${fake.url}/v23.0/${PN}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      ...(signal ? { signal } : {}),
    });

  beforeEach(async () => {
    fake = await FakeGraphApi.start({ accessToken: TOKEN });
  });
  afterEach(() => fake.close());

  it('records an accepted send and answers like Meta', async () => {
    const res = await post(textPayload('573001234567'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { contacts: unknown[]; messages: { id: string }[] };
    expect(body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '573001234567', wa_id: '573001234567' }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
    expect(fake.sent).toEqual([
      expect.objectContaining({ phoneNumberId: PN, to: '573001234567', type: 'text', messageId: body.messages[0]!.id }),
    ]);
  });

  it('answers a BSUID-only send with user_id', async () => {
    const { to: _, ...rest } = textPayload('');
    const res = await post({ ...rest, recipient: 'CO.1234567890123456789' });
    expect(((await res.json()) as { contacts: unknown[] }).contacts).toEqual([
      { input: 'CO.1234567890123456789', user_id: 'CO.1234567890123456789' },
    ]);
  });

  it('rejects a wrong token with a Graph-style 401 and records nothing', async () => {
    const res = await post(textPayload('573001234567'), 'stolen');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: number; type: string } }).error).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(fake.sent).toHaveLength(0);
  });

  it.each([
    ['an empty text', textPayload('573001234567', '')],
    [
      '4 reply buttons',
      {
        ...textPayload('5730'),
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'x' },
          action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } })) },
        },
      },
    ],
    [
      '11 list rows',
      {
        ...textPayload('5730'),
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'x' },
          action: {
            button: 'Ver',
            sections: [{ title: 'S', rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }],
          },
        },
      },
    ],
    [
      'a 25-character row title',
      {
        ...textPayload('5730'),
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'x' },
          action: { button: 'Ver', sections: [{ rows: [{ id: 'r', title: 'x'.repeat(25) }] }] },
        },
      },
    ],
    ['a template without language', { ...textPayload('5730'), type: 'template', template: { name: 'recordatorio' } }],
    ['no recipient', { messaging_product: 'whatsapp', type: 'text', text: { body: 'hola' } }],
  ])('rejects %s with a Graph 400 (code 100)', async (_name, payload) => {
    const res = await post(payload);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number; fbtrace_id: string } }).error).toMatchObject({
      code: 100,
      type: 'OAuthException',
      fbtrace_id: expect.any(String),
    });
    expect(fake.sent).toHaveLength(0);
  });

  it('records mark-as-read with typing indicator apart from sends', async () => {
    const res = await post({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.ABC', typing_indicator: { type: 'text' } });
    expect(await res.json()).toEqual({ success: true });
    expect(fake.reads).toEqual([expect.objectContaining({ messageId: 'wamid.ABC', typing: true })]);
    expect(fake.sent).toHaveLength(0);
  });

  it('fails the next n sends as asked, then recovers', async () => {
    fake.failNext(2, { status: 429 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(textPayload('573001234567'))).status);
    expect(statuses).toEqual([429, 429, 200]);
    expect(fake.requests.map((r) => r.errorCode)).toEqual([130429, 130429, undefined]);
    expect(fake.sent).toHaveLength(1);
  });

  it('fails only the targeted recipient', async () => {
    fake.failNext(1, { status: 400, code: 131056, to: '57300A' });
    expect((await post(textPayload('57300B'))).status).toBe(200);
    const res = await post(textPayload('57300A'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(131056);
  });

  it('drops a request whose client gave up during injected latency', async () => {
    fake.setLatency(60_000, { requests: 1 });
    // Give up once the fake holds the request (a fixed client timeout could fire before it arrives).
    const giveUp = new AbortController();
    fake.once('request', () => giveUp.abort());
    await expect(post(textPayload('573001234567'), TOKEN, giveUp.signal)).rejects.toThrow();
    await waitFor(() => fake.requests.length === 1);
    expect(fake.sent).toHaveLength(0);
    expect((await post(textPayload('573001234567'))).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([499, 200]);
  });

  it('accepts a send but answers it late: the message is recorded although the client gave up', async () => {
    fake.answerLateNext(1, { answerAfterMs: 60_000 });
    // The client gives up once WhatsApp has the message, long before the answer.
    const giveUp = new AbortController();
    fake.once('sent', () => giveUp.abort());
    await expect(post(textPayload('573001234567'), TOKEN, giveUp.signal)).rejects.toThrow();
    expect(fake.sent.map((r) => r.to)).toEqual(['573001234567']);
    expect((await post(textPayload('573001234568'))).status).toBe(200);
    expect(fake.sent).toHaveLength(2);
  });

  it('can answer late over HTTP too, and a patient client gets the usual answer', async () => {
    await new RemoteFakeGraph(fake.url).answerLateNext(1, { answerAfterMs: 100 });
    const res = await post(textPayload('573001234567'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { messages: { id: string }[] }).messages[0]!.id).toBe(fake.sent[0]!.messageId);
  });

  it('fails a given share of sends at random, then stops when told', async () => {
    let n = 0;
    // A deterministic "random" source: every 4th draw is below the rate.
    fake.setRandomFaults(0.25, { status: 400, code: 130429 }, () => (n++ % 4 === 0 ? 0.1 : 0.9));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(textPayload(`5730012345${i}`))).status);
    expect(statuses).toEqual([400, 200, 200, 200, 400, 200, 200, 200]);
    expect(fake.requests.filter((r) => r.errorCode === 130429)).toHaveLength(2);
    fake.setRandomFaults(0, { status: 400 });
    expect((await post(textPayload('573001234567'))).status).toBe(200);
  });

  it('waits for sends and emits them as they arrive', async () => {
    const seen: string[] = [];
    fake.on('sent', (r: { to: string }) => seen.push(r.to));
    const waiting = fake.waitForSent((r) => r.to === '57300B');
    await post(textPayload('57300A'));
    await post(textPayload('57300B'));
    expect((await waiting).to).toBe('57300B');
    expect(await fake.waitForSent(2)).toHaveLength(2);
    expect(seen).toEqual(['57300A', '57300B']);
    await expect(fake.waitForSent(3, 50)).rejects.toThrow(/timed out/);
  });

  it('can be driven over HTTP from another process', async () => {
    const remote = new RemoteFakeGraph(fake.url);
    await remote.failNext(1, { status: 500 });
    expect((await post(textPayload('573001234567'))).status).toBe(500);
    expect((await post(textPayload('573001234567'))).status).toBe(200);
    expect(await remote.sent()).toHaveLength(1);
    expect((await remote.requests()).map((r) => r.status)).toEqual([500, 200]);
    expect((await remote.counts()).faults).toEqual({ 500: 1 });
    await remote.reset();
    expect(await remote.sent()).toEqual([]);
  });
});
