/**
 * Identity and access through the real API (HTTP, SSE, graphql-ws) on a real stack with authentication on:
 * every role against every operation on its own and another customer's order, bad tokens of every kind,
 * and the browser boundary (CORS, requests a browser sends cross-site without a preflight, WebSocket Origin).
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '../../common/access';
import type { AuthSettings } from '../../common/config';
import { signDevToken } from '../../server/dev-tokens';
import { collectOverWebSocket, post, sseMessages } from '../support/graphql-client';
import { type Shelf, stockShelf } from '../support/ledger';
import { type Stack, startStack } from '../support/stack';
import { TEST_ADDRESS } from '../support/temporal';

const SECRET = 'access-suite-secret-0123456789abcdef';
const AUTH: AuthSettings = {
  jwtSecret: SECRET,
  jwksUrl: undefined,
  issuer: 'orderflow-tests',
  audience: 'orderflow',
  disabled: false,
};
const SHOP = 'https://shop.example';

let stack: Stack;
let url: string;
let shelf: Shelf;
const token: Record<'ada' | 'bob' | 'staff' | 'admin', string> = { ada: '', bob: '', staff: '', admin: '' };

beforeAll(async () => {
  stack = await startStack('access-e2e', {
    AUTH_JWT_SECRET: SECRET,
    AUTH_ISSUER: AUTH.issuer ?? '',
    AUTH_AUDIENCE: AUTH.audience ?? '',
    CORS_ORIGINS: SHOP,
    RETURN_WINDOW: '10m',
  });
  url = stack.api.url;
  shelf = await stockShelf(stack.db.orm);
  const sign = (role: Role, sub: string) => signDevToken(AUTH, role, sub);
  [token.ada, token.bob, token.staff, token.admin] = await Promise.all([
    sign('customer', 'ada'),
    sign('customer', 'bob'),
    sign('staff', 'grace'),
    sign('admin', 'root'),
  ]);
});
afterAll(() => stack?.stop());

const ADDRESS = TEST_ADDRESS;
const ORDER_FIELDS = 'order { id customerId status } userErrors { field code message }';
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const ACTIONS = {
  pay: ['payOrder', 'PayOrderInput', { paymentMethod: 'tok_visa' }],
  cancel: ['cancelOrder', 'CancelOrderInput', { reason: 'changed my mind' }],
  audit: ['auditOrder', 'AuditOrderInput', { approve: true }],
  requestReturn: ['requestReturn', 'RequestReturnInput', { reason: 'too small' }],
  approveReturn: ['approveReturn', 'ApproveReturnInput', { approve: true }],
} as const;

interface Payload {
  order: { id: string; customerId: string; status: string } | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
}

async function place(as: string | undefined, input: Record<string, unknown> = {}) {
  const response = await post<{ placeOrder: Payload }>(
    url,
    PLACE,
    { input: { items: [{ sku: shelf.mug, quantity: 1 }], address: ADDRESS, ...input } },
    as,
  );
  return response;
}

async function placedBy(as: string, input: Record<string, unknown> = {}): Promise<string> {
  const order = (await place(as, input)).body.data?.placeOrder.order;
  if (!order) throw new Error('the order was not placed');
  return order.id;
}

async function act(action: keyof typeof ACTIONS, orderId: string, as: string | undefined) {
  const [field, input, extra] = ACTIONS[action];
  const response = await post<Record<string, Payload>>(
    url,
    `mutation($input: ${input}!) { ${field}(input: $input) { ${ORDER_FIELDS} } }`,
    { input: { orderId, ...extra } },
    as,
  );
  return response;
}

const codeOf = (response: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) =>
  response.body.errors?.[0]?.extensions?.code;

describe('without a token', () => {
  it('anyone reads the products, nothing else', async () => {
    expect((await post(url, '{ products { sku } }')).body.data).toBeDefined();
    const orderId = await placedBy(token.ada);
    for (const query of [`{ order(id: "${orderId}") { id } }`, '{ orders { nodes { id } } }']) {
      const response = await post(url, query);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
      expect(Object.values(response.body.data ?? {}).filter(Boolean)).toEqual([]);
    }
    expect(codeOf(await place(undefined, { customerId: 'ada' }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await act('cancel', orderId, undefined))).toBe('UNAUTHENTICATED');
    const upsert = await post(
      url,
      `mutation { upsertProduct(input: { sku: "${shelf.mug}", name: "Free", priceCents: 0, stock: 999, discontinued: false }) { product { sku } } }`,
    );
    expect(codeOf(upsert)).toBe('UNAUTHENTICATED');
    const [message] = await sseMessages(url, { id: orderId });
    expect(message?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await expect(collectOverWebSocket(url, { id: orderId }).done).rejects.toThrow(/UNAUTHENTICATED/);
  });
});

/** Opens a graphql-ws socket, sends `connection_init` with `payload`, and tells how the server answers. */
function closeCodeAfterInit(payload: Record<string, unknown>): Promise<number | 'acknowledged'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.once('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve('acknowledged');
      socket.close();
    });
    socket.once('close', (code) => resolve(code));
    socket.once('error', reject);
  });
}

/** Polls the order until it shows `status` (the saga goes on after an action has answered). */
async function reaches(orderId: string, status: string, as: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const read = await post<{ order: { status: string } | null }>(
      url,
      `{ order(id: "${orderId}") { status } }`,
      {},
      as,
    );
    if (read.body.data?.order?.status === status) return;
    if (Date.now() > deadline) throw new Error(`order ${orderId} did not reach ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('bad tokens', () => {
  it('a valid token opens a graphql-ws connection; none opens an anonymous one', async () => {
    expect(await closeCodeAfterInit({ authorization: `Bearer ${token.ada}` })).toBe('acknowledged');
    expect(await closeCodeAfterInit({})).toBe('acknowledged');
  });

  const forge = (sign: (jwt: SignJWT) => SignJWT, secret = SECRET) =>
    sign(new SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory')).sign(
      new TextEncoder().encode(secret),
    );
  const valid = (jwt: SignJWT) =>
    jwt.setIssuer('orderflow-tests').setAudience('orderflow').setExpirationTime('1h');

  it('a token that worked is refused once it has expired (a verified token is not trusted past its exp)', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const shortLived = await forge((jwt) => valid(jwt).setExpirationTime(expiresAt));
    expect((await post(url, '{ products { sku } }', {}, shortLived)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 200));
    const late = await post(url, '{ products { sku } }', {}, shortLived);
    expect(late.status).toBe(401);
    expect(codeOf(late)).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['signed with another secret', () => forge(valid, 'not-the-secret-at-all-0123456789')],
    ['expired', () => forge((jwt) => valid(jwt).setExpirationTime(Math.floor(Date.now() / 1000) - 60))],
    ['for another audience', () => forge((jwt) => valid(jwt).setAudience('someone-else'))],
    ['from another issuer', () => forge((jwt) => valid(jwt).setIssuer('evil'))],
    ['with an over-long sub', () => forge((jwt) => valid(jwt).setSubject('x'.repeat(5_000)))],
    [
      'with an unknown role',
      () =>
        new SignJWT({ role: 'god' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('m')
          .setIssuer('orderflow-tests')
          .setAudience('orderflow')
          .sign(new TextEncoder().encode(SECRET)),
    ],
    ['that is not a JWT', async () => 'not.a.jwt'],
  ])('a token %s is refused over HTTP (401) and graphql-ws (4403)', async (_name, make) => {
    const bad = await make();
    const response = await post(url, '{ products { sku } }', {}, bad);
    expect(response.status).toBe(401);
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(await closeCodeAfterInit({ authorization: `Bearer ${bad}` })).toBe(4403);
  });
});

describe('placing orders', () => {
  it("a customer's order is theirs; another customer id is FORBIDDEN; staff place on a customer's behalf", async () => {
    expect((await place(token.ada)).body.data?.placeOrder.order?.customerId).toBe('ada');
    expect((await place(token.ada, { customerId: 'ada' })).body.data?.placeOrder.order?.customerId).toBe(
      'ada',
    );
    expect((await place(token.ada, { customerId: 'bob' })).body.data?.placeOrder).toEqual({
      order: null,
      userErrors: [{ field: ['input', 'customerId'], code: 'FORBIDDEN', message: expect.any(String) }],
    });
    expect((await place(token.staff, { customerId: 'bob' })).body.data?.placeOrder.order?.customerId).toBe(
      'bob',
    );
    expect((await place(token.staff)).body.data?.placeOrder.userErrors).toEqual([
      { field: ['input', 'customerId'], code: 'INVALID_INPUT', message: expect.any(String) },
    ]);
  });
});

describe("reading another customer's order", () => {
  it('reads as not found; listing shows only your own; staff and admin see all', async () => {
    const orderId = await placedBy(token.ada);
    const read = async (as: string) =>
      (await post<{ order: { id: string } | null }>(url, `{ order(id: "${orderId}") { id } }`, {}, as)).body
        .data?.order ?? null;
    expect(await read(token.ada)).toEqual({ id: orderId });
    expect(await read(token.bob)).toBeNull();
    expect(await read(token.staff)).toEqual({ id: orderId });
    expect(await read(token.admin)).toEqual({ id: orderId });

    const list = async (as: string, customerId?: string) =>
      (
        await post<{ orders: { nodes: { id: string; customerId: string }[] } }>(
          url,
          'query($c: String) { orders(customerId: $c, first: 100) { nodes { id customerId } } }',
          { c: customerId },
          as,
        )
      ).body.data?.orders.nodes ?? [];
    expect((await list(token.bob)).every((order) => order.customerId === 'bob')).toBe(true);
    expect(await list(token.bob, 'ada')).toEqual([]);
    expect((await list(token.ada)).map((order) => order.id)).toContain(orderId);
    expect((await list(token.staff, 'ada')).map((order) => order.id)).toContain(orderId);
  });

  it("a subscription to another customer's order ends as an unknown order, on SSE and graphql-ws", async () => {
    const orderId = await placedBy(token.ada);
    const [message] = await sseMessages(url, { id: orderId }, token.bob);
    expect(message?.errors?.[0]?.extensions?.code).toBe('UNKNOWN_ORDER');
    await expect(collectOverWebSocket(url, { id: orderId }, undefined, token.bob).done).rejects.toThrow(
      /UNKNOWN_ORDER/,
    );
    const watched = collectOverWebSocket(url, { id: orderId }, undefined, token.staff);
    expect((await act('cancel', orderId, token.ada)).body.data?.cancelOrder?.order?.status).toBe('CANCELLED');
    expect((await watched.done).at(-1)?.status).toBe('CANCELLED');
  });
});

describe('actions by role', () => {
  it('only the customer pays; staff cancel on their behalf; another customer is told the order is unknown', async () => {
    const orderId = await placedBy(token.ada);
    const codes = async (action: keyof typeof ACTIONS, as: string) => {
      const payload = Object.values((await act(action, orderId, as)).body.data ?? {})[0];
      return payload?.userErrors.map((error) => error.code);
    };
    expect(await codes('pay', token.bob)).toEqual(['UNKNOWN_ORDER']);
    expect(await codes('pay', token.staff)).toEqual(['FORBIDDEN']);
    expect(await codes('pay', token.admin)).toEqual(['FORBIDDEN']);
    expect(await codes('cancel', token.bob)).toEqual(['UNKNOWN_ORDER']);
    expect(await codes('audit', token.ada)).toEqual(['FORBIDDEN']);
    expect(await codes('approveReturn', token.ada)).toEqual(['FORBIDDEN']);
    expect(await codes('requestReturn', token.bob)).toEqual(['UNKNOWN_ORDER']);
    expect(await codes('cancel', token.staff)).toEqual([]);
  });

  it('a customer pays and asks for a return, staff approve it; a flagged order waits for staff, not its customer', async () => {
    const paid = await placedBy(token.ada);
    expect((await act('pay', paid, token.ada)).body.data?.payOrder?.userErrors).toEqual([]);
    await reaches(paid, 'COMPLETED', token.ada);
    expect((await act('requestReturn', paid, token.ada)).body.data?.requestReturn?.userErrors).toEqual([]);
    expect((await act('approveReturn', paid, token.staff)).body.data?.approveReturn?.order?.status).toBe(
      'RETURNED',
    );

    const flagged = await placedBy(token.ada, { flagged: true });
    expect((await act('audit', flagged, token.ada)).body.data?.auditOrder?.userErrors[0]?.code).toBe(
      'FORBIDDEN',
    );
    expect((await act('audit', flagged, token.staff)).body.data?.auditOrder?.order?.status).toBe(
      'AWAITING_PAYMENT',
    );
  });

  it('only admin edits the catalogue', async () => {
    const upsert = (as: string) =>
      post<{ upsertProduct: { product: { sku: string } | null; userErrors: { code: string }[] } }>(
        url,
        `mutation { upsertProduct(input: { sku: "${shelf.retired}", name: "Old", priceCents: 900, stock: 3, discontinued: true }) { product { sku } userErrors { code } } }`,
        {},
        as,
      );
    for (const as of [token.ada, token.staff]) {
      expect((await upsert(as)).body.data?.upsertProduct).toEqual({
        product: null,
        userErrors: [{ code: 'FORBIDDEN' }],
      });
    }
    expect((await upsert(token.admin)).body.data?.upsertProduct.product).toEqual({ sku: shelf.retired });
  });

  it('a token that expires during a stream does not end it', async () => {
    const orderId = await placedBy(token.ada);
    const shortLived = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ada')
      .setIssuer('orderflow-tests')
      .setAudience('orderflow')
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(SECRET));
    const watched = collectOverWebSocket(url, { id: orderId }, undefined, shortLived);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await act('cancel', orderId, token.ada);
    expect((await watched.done).at(-1)?.status).toBe('CANCELLED');
  });
});

describe('the browser boundary', () => {
  const preflight = (origin: string) =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('CORS answers only the allowed origins', async () => {
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const shop = await preflight(SHOP);
    expect(shop.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(shop.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('no request a browser sends cross-site without a preflight runs an operation', async () => {
    const mutation = `mutation { cancelOrder(input: { orderId: "x" }) { userErrors { code } } }`;
    const simple = [
      { 'content-type': 'application/x-www-form-urlencoded', body: `query=${encodeURIComponent(mutation)}` },
      { 'content-type': 'text/plain', body: JSON.stringify({ query: mutation }) },
      {
        'content-type': 'multipart/form-data; boundary=x',
        body: `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: mutation })}\r\n--x--\r\n`,
      },
    ];
    for (const { body, ...headers } of simple) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${token.ada}` },
        body,
      });
      expect(response.status).toBe(403);
    }
    const get = await fetch(`${url}/graphql?query=${encodeURIComponent('{ products { sku } }')}`);
    expect(get.status).toBe(403);
  });

  it('a WebSocket from a foreign origin is refused; from an allowed one it connects', async () => {
    const open = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
          origin,
        });
        socket.once('open', () => {
          socket.close();
          resolve('open');
        });
        socket.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
        socket.once('error', () => resolve('error'));
      });
    expect(await open('https://evil.example')).toBe('refused 401');
    expect(await open(SHOP)).toBe('open');
    expect(await open(url)).toBe('open');
  });
});
