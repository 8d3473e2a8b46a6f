/**
 * The Temporal Web UI's codec endpoint on the API (`/codec/decode`, `/codec/encode`) over HTTP, with the codec
 * on in the API and the worker: it opens what the worker wrote into the history, answers the Web UI's CORS
 * preflight in dev mode, and outside dev mode refuses a caller its `authorize` does not accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/access';
import { readConfig } from '../../common/config';
import { generatePayloadKey } from '../../common/payload-codec';
import { devCodecAccess } from '../../server/codec-endpoint';
import { signDevToken } from '../../server/dev-tokens';
import { type RunningApi, startApi } from '../../server/start-api';
import { post } from '../support/graphql-client';
import { stockShelf } from '../support/ledger';
import { type Stack, startStack } from '../support/stack';

const WEB_UI_PORT = 8233;
const WEB_UI = `http://localhost:${WEB_UI_PORT}`;
const PAYLOAD_KEY = generatePayloadKey('e2e');
const SECRET = 'codec-suite-secret-0123456789abcdef';

let stack: Stack;
let orderId: string;

beforeAll(async () => {
  stack = await startStack(
    'codec-endpoint-e2e',
    { PAYLOAD_KEY },
    { codecAccess: devCodecAccess(WEB_UI_PORT) },
  );
  const shelf = await stockShelf(stack.db.orm);
  orderId = `codec-${process.pid}-${Date.now()}`;
  const placed = await post<{ placeOrder: { order: { status: string } } }>(
    stack.api.url,
    `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { order { status } } }`,
    {
      input: {
        orderId,
        customerId: 'cust-codec',
        items: [{ sku: shelf.mug, quantity: 1 }],
        address: {
          name: 'Mary Somerville',
          line1: '1 Burntisland Rd',
          city: 'Jedburgh',
          postalCode: 'TD8 6AA',
          country: 'GB',
        },
      },
    },
  );
  expect(placed.body.data?.placeOrder.order.status).toBe('AWAITING_PAYMENT');
});
afterAll(() => stack?.stop());

/** The order's start input as the server stores it, in the protocol's proto-JSON (bytes as base64). */
async function storedInput() {
  const history = await stack.env.client.workflow.getHandle(orderId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return {
    metadata: Object.fromEntries(
      Object.entries(payload?.metadata ?? {}).map(([key, bytes]) => [
        key,
        Buffer.from(bytes).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload?.data ?? []).toString('base64'),
  };
}

type JsonPayload = Awaited<ReturnType<typeof storedInput>>;

function codecCall(
  url: string,
  operation: string,
  payloads: JsonPayload[],
  headers: Record<string, string> = {},
) {
  return fetch(`${url}/codec/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify({ payloads }),
  });
}

const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString('utf8');

describe('the codec endpoint in dev mode', () => {
  it('decodes for the Web UI what the worker and the API wrote into the history, which holds it encrypted', async () => {
    const stored = await storedInput();
    expect(text(stored.metadata.encoding)).toBe('binary/encrypted');
    expect(text(stored.data)).not.toContain('Somerville');

    const response = await codecCall(stack.api.url, 'decode', [stored], { origin: WEB_UI });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(WEB_UI);
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    expect(text(payloads[0]?.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(text(payloads[0]?.data))).toMatchObject({
      orderId,
      address: { name: 'Mary Somerville' },
    });
  });

  it('encodes what the Web UI sends (a signal, a start) so that decode opens it again', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"hi"').toString('base64'),
    };
    const encoded = (await (await codecCall(stack.api.url, 'encode', [plain])).json()) as {
      payloads: JsonPayload[];
    };
    expect(text(encoded.payloads[0]?.metadata.encoding)).toBe('binary/encrypted');
    const decoded = (await (await codecCall(stack.api.url, 'decode', encoded.payloads)).json()) as {
      payloads: JsonPayload[];
    };
    expect(decoded.payloads).toEqual([plain]);
  });

  it("answers the Web UI's CORS preflight, and not another origin's", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.api.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const allowed = await preflight(WEB_UI);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_UI);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-namespace');

    const foreign = await preflight('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const post = await codecCall(stack.api.url, 'decode', [await storedInput()], {
      origin: 'https://evil.example',
    });
    expect(post.status).toBe(403);
  });

  it('says clearly what it cannot decode, and refuses what is not JSON', async () => {
    const foreign = { ...(await storedInput()) };
    foreign.metadata = { ...foreign.metadata, 'encryption-key-id': Buffer.from('gone').toString('base64') };
    const unknownKey = await codecCall(stack.api.url, 'decode', [foreign]);
    expect(unknownKey.status).toBe(422);
    expect(((await unknownKey.json()) as { error: string }).error).toContain('key "gone"');

    const form = await fetch(`${stack.api.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"payloads":[]}',
    });
    expect(form.status).toBe(415);
  });
});

describe('the codec endpoint outside dev mode', () => {
  let api: RunningApi | undefined;
  afterAll(() => api?.close());

  it('outside dev mode decodes for staff and admin only: 401 without a token, 403 for a customer or a bad token', async () => {
    const auth = readConfig({
      ...stack.processEnv,
      AUTH_DISABLED: 'false',
      AUTH_JWT_SECRET: SECRET,
      PORT: '0',
    });
    api = await startApi(auth, stack.db.orm, stack.env.address);
    const stored = await storedInput();
    const bearer = async (role: Role) => ({
      authorization: `Bearer ${await signDevToken(auth.auth, role, 'x')}`,
    });

    const anonymous = await codecCall(api.url, 'decode', [stored]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect((await codecCall(api.url, 'decode', [stored], await bearer('customer'))).status).toBe(403);
    expect((await codecCall(api.url, 'decode', [stored], { authorization: 'Bearer forged' })).status).toBe(
      403,
    );
    expect((await codecCall(api.url, 'decode', [stored], { origin: WEB_UI })).status).toBe(403);
    for (const role of ['staff', 'admin'] as const) {
      const decoded = await codecCall(api.url, 'decode', [stored], await bearer(role));
      expect(decoded.status).toBe(200);
      const { payloads } = (await decoded.json()) as { payloads: JsonPayload[] };
      expect(text(payloads[0]?.data)).toContain('Mary Somerville');
    }
  });
});
