/**
 * The hostile-input corpus, through the real HTTP API and graphql-ws of one stack (Temporal dev server, worker,
 * MariaDB): wrong types, sizes just over each bound and far over, control characters and lone surrogates,
 * SQL-like text, malformed bodies and frames, abusive documents, too many subscriptions. Each case gets its
 * exact answer and changes nothing (products, the order list, the number of workflows); afterwards the server
 * is healthy and its heap bounded.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { getIntrospectionQuery } from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '../../common/access';
import { ORDER_ACTIONS } from '../../common/actions';
import { readConfig } from '../../common/config';
import { signDevToken } from '../../server/dev-tokens';
import { ORDER_STATUS_SUBSCRIPTION } from '../support/graphql-client';
import { type Stack, startStack } from '../support/stack';
import { TEST_ADDRESS } from '../support/temporal';

const PER_CONNECTION = 5;
const WATCHED_ORDERS = 4;
let stack: Stack;
let url: string;
const awaiting: string[] = [];

const SKU = 'HOSTILE-MUG';
const ADDRESS = TEST_ADDRESS;
const KB60 = 'x'.repeat(60 * 1024);
const MB = 'x'.repeat(1024 * 1024);

const PLACE = `mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id status } userErrors { field code message } } }`;
const PAY = `mutation($i: PayOrderInput!) { payOrder(input: $i) { order { id } userErrors { field code message } } }`;
const CANCEL = `mutation($i: CancelOrderInput!) { cancelOrder(input: $i) { order { id } userErrors { field code message } } }`;
const AUDIT = `mutation($i: AuditOrderInput!) { auditOrder(input: $i) { order { id } userErrors { field code message } } }`;
const RETURN = `mutation($i: RequestReturnInput!) { requestReturn(input: $i) { order { id } userErrors { field code message } } }`;
const APPROVE = `mutation($i: ApproveReturnInput!) { approveReturn(input: $i) { order { id } userErrors { field code message } } }`;
const UPSERT = `mutation($i: UpsertProductInput!) { upsertProduct(input: $i) { product { sku } userErrors { field code message } } }`;

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** An answer in one line: the HTTP status, then each GraphQL error's code or user error's code@field. */
function answerOf(status: number, text: string): string {
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    return `${status} not-json`;
  }
  const errors = (body.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
  const userErrors = Object.values(body.data ?? {}).flatMap((payload) => {
    const list = (payload as { userErrors?: { code: string; field: string[] | null }[] } | null)?.userErrors;
    return (list ?? []).map((error) => (error.field ? `${error.code}@${error.field.join('.')}` : error.code));
  });
  return [String(status), ...errors, ...userErrors].join(' ');
}

async function send(
  body: BodyInit,
  headers: Record<string, string>,
  method = 'POST',
  search = '',
): Promise<string> {
  const response = await fetch(`${url}/graphql${search}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : body,
    duplex: 'half',
  } as RequestInit);
  const text = await response.text();
  expect(text).not.toMatch(/\s+at\s.+:\d+:\d+|node_modules|Unexpected error/);
  return answerOf(response.status, text);
}

/**
 * Identity is on: every case carries a valid token of the role that may send it, so it reaches validation
 * (the orders are the customer `hostile`'s); the hostile tokens have cases of their own.
 */
const SECRET = 'hostile-suite-secret-0123456789abcdef';
const tokens: Record<Role, string> = { customer: '', staff: '', admin: '' };
const jsonHeaders = (role: Role = 'customer', token = tokens[role]) => ({
  'content-type': 'application/json',
  accept: 'application/json',
  authorization: `Bearer ${token}`,
});
const connectionInit = (token = tokens.customer) =>
  JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
const raw = (body: string, headers: Record<string, string> = jsonHeaders()) => send(body, headers);
const gql = (query: string, variables: Record<string, unknown> = {}, role: Role = 'customer') =>
  raw(JSON.stringify({ query, variables }), jsonHeaders(role));
/** A request with this Authorization header instead of a valid token. */
const withAuthorization = (authorization: string) =>
  raw(JSON.stringify({ query: '{ products { sku } }' }), { ...jsonHeaders(), authorization });
const forged = (claims: Record<string, unknown>, subject: string, secret = SECRET) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));

const order = (over: Record<string, unknown> = {}) => ({
  orderId: `hostile-${process.pid}-${Math.random().toString(36).slice(2)}`,
  customerId: 'hostile',
  items: [{ sku: SKU, quantity: 1 }],
  address: ADDRESS,
  ...over,
});
const place = (over: Record<string, unknown>) => gql(PLACE, { i: order(over) });
/** Staff place on a customer's behalf, so a customer id they name reaches validation. */
const placeAs = (role: Role, over: Record<string, unknown>) => gql(PLACE, { i: order(over) }, role);
const line = (over: Record<string, unknown>) => place({ items: [{ sku: SKU, quantity: 1, ...over }] });
const address = (over: Record<string, unknown>) => place({ address: { ...ADDRESS, ...over } });
const product = (over: Record<string, unknown>) =>
  gql(
    UPSERT,
    { i: { sku: SKU, name: 'Mug', priceCents: 1500, stock: 1000, discontinued: false, ...over } },
    'admin',
  );
const payment = (over: Record<string, unknown>) =>
  gql(PAY, { i: { orderId: awaiting[0], paymentMethod: 'tok_visa', ...over } });
const repeat = (count: number, text: (index: number) => string) =>
  Array.from({ length: count }, (_, index) => text(index)).join(' ');

/** Frames sent over one graphql-ws socket (after connection_init unless `init` is false), and what came back. */
function exchange(
  frames: (string | Buffer)[],
  {
    init = true,
    waitMs = 2_000,
    token = tokens.customer,
  }: { init?: boolean; waitMs?: number; token?: string } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const seen: string[] = [];
    const finish = (why: string) => {
      clearTimeout(timer);
      socket.terminate();
      resolve([...seen, why].join(' '));
    };
    const timer = setTimeout(() => finish('open'), waitMs);
    const sendAll = () => {
      for (const frame of frames) socket.send(frame);
    };
    socket.on('open', () => (init ? socket.send(connectionInit(token)) : sendAll()));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        payload?: { errors?: Body['errors'] } | Body['errors'];
      };
      if (message.type === 'connection_ack') return sendAll();
      const errors = Array.isArray(message.payload) ? message.payload : (message.payload?.errors ?? []);
      seen.push([message.type, ...errors.map((error) => error.extensions?.code ?? 'NO_CODE')].join(':'));
      if (message.type === 'error' || message.type === 'complete') finish('done');
    });
    socket.on('close', (code) => finish(`close ${code}`));
    socket.on('error', () => undefined);
  });
}

/** A JWT with `alg: none` and no signature: what a forger sends when he has no key at all. */
const unsigned = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

const subscribe = (id: string, variables: Record<string, unknown>) =>
  JSON.stringify({ id, type: 'subscribe', payload: { query: ORDER_STATUS_SUBSCRIPTION, variables } });

/** Opens `count` subscriptions to `orderIds` (cycled) on one socket, then one more; answers what that one got. */
function oneTooMany(orderIds: string[], count: number): Promise<string> {
  const frames = Array.from({ length: count }, (_, index) =>
    subscribe(`keep-${index}`, { id: orderIds[index % orderIds.length] }),
  );
  return new Promise((resolve) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    let snapshots = 0;
    socket.on('open', () => socket.send(connectionInit()));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        id?: string;
        type: string;
        payload?: { errors?: Body['errors'] } | Body['errors'];
      };
      if (message.type === 'connection_ack') for (const frame of frames) socket.send(frame);
      if (message.id?.startsWith('keep-') && message.type === 'next' && ++snapshots === count) {
        socket.send(subscribe('extra', { id: orderIds.at(-1) }));
      }
      if (message.id !== 'extra') return;
      const errors = Array.isArray(message.payload) ? message.payload : (message.payload?.errors ?? []);
      socket.close();
      resolve([message.type, ...errors.map((error) => error.extensions?.code ?? 'NO_CODE')].join(':'));
    });
  });
}

async function validatorAnswer(update: () => Promise<unknown>): Promise<string> {
  try {
    await update();
    return 'accepted';
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      return `refused ${error.cause.type}`;
    }
    throw error;
  }
}

interface Case {
  name: string;
  send: () => Promise<string>;
  answer: string;
}

const cases: Case[] = [
  // The request itself
  { name: 'invalid JSON', send: () => raw('{"query": "{ products { sku } }"'), answer: '400 BAD_REQUEST' },
  { name: 'empty body', send: () => raw(''), answer: '400 BAD_REQUEST' },
  { name: 'query is a number', send: () => raw('{"query": 42}'), answer: '400 BAD_REQUEST' },
  {
    name: 'variables is a string',
    send: () => raw('{"query": "{ __typename }", "variables": "x"}'),
    answer: '400 BAD_REQUEST',
  },
  { name: 'no query', send: () => raw('{"variables": {}}'), answer: '200 BAD_REQUEST' },
  { name: 'a batch of queries', send: () => raw('[{"query": "{ __typename }"}]'), answer: '400 BAD_REQUEST' },
  {
    // A browser sends it cross-site without a preflight: Yoga's CSRF prevention refuses it.
    name: 'text/plain body',
    send: () => raw('{"query": "{ __typename }"}', { 'content-type': 'text/plain' }),
    answer: '403 NO_CODE',
  },
  {
    // A GET without the CSRF header is refused before Yoga would refuse the mutation (405).
    name: 'a mutation over GET',
    send: () =>
      send(
        '',
        {},
        `GET`,
        `?query=${encodeURIComponent('mutation { cancelOrder(input: { orderId: "x" }) { userErrors { code } } }')}`,
      ),
    answer: '403 NO_CODE',
  },
  { name: 'a body over 64 KiB', send: () => gql('{ __typename }', { pad: MB }), answer: '413 NO_CODE' },
  { name: 'a 20 MB body', send: () => gql('{ __typename }', { pad: MB.repeat(20) }), answer: '413 NO_CODE' },
  { name: 'a 1 MB syntax error', send: () => gql(`{ ${MB}`), answer: '413 NO_CODE' },
  {
    name: 'a body without Content-Length (chunked)',
    send: () =>
      send(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"query": "{ __typename }"}'));
            controller.close();
          },
        }) as unknown as BodyInit,
        jsonHeaders(),
      ),
    answer: '411 NO_CODE',
  },
  // Abusive documents
  {
    name: 'a query 5,000 deep',
    send: () => gql(`${'{ a '.repeat(5000)}${'}'.repeat(5000)}`),
    answer: '200 GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a query 10 deep',
    send: () =>
      gql(`{ __type(name: "Order") { fields { type ${'{ ofType '.repeat(6)}{ name }${' }'.repeat(6)} } } }`),
    answer: '200 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '100 aliases',
    send: () => gql(`{ ${repeat(100, (i) => `p${i}: products { sku }`)} }`),
    answer: '200 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '30 aliases of orders(first: 100) { timeline }',
    send: () =>
      gql(`{ ${repeat(30, (i) => `a${i}: orders(first: 100) { nodes { timeline { version } } }`)} }`),
    answer: '200 GRAPHQL_VALIDATION_FAILED GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '2 aliases of orders(first: 100) with every detail (cost)',
    send: () =>
      gql(
        `{ ${repeat(2, (i) => `a${i}: orders(first: 100) { nodes { id customerId status version totalCents failureReason items { sku quantity unitPriceCents } timeline { version status step message at } payment { status amountCents refundedCents } shipments { id warehouse trackingNumber status } } }`)} }`,
      ),
    answer: '200 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '2,000 directives',
    send: () => gql(`{ products ${'@include(if: true) '.repeat(2000)} { sku } }`),
    answer: '200 GRAPHQL_PARSE_FAILED',
  },
  {
    name: '11 directives',
    send: () => gql(`{ products { ${'sku @include(if: true) '.repeat(11)} } }`),
    answer: '200 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a field 20,000 times',
    send: () => gql(`{ products { ${'sku '.repeat(20000)} } }`),
    answer: '413 NO_CODE',
  },
  {
    name: 'a field 2,000 times (tokens)',
    send: () => gql(`{ products { ${'sku '.repeat(2000)} } }`),
    answer: '200 GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a fragment cycle',
    send: () => gql('{ products { ...A } } fragment A on Product { ...B } fragment B on Product { ...A }'),
    answer: '200 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'two operations, no name',
    send: () => gql('query A { __typename } query B { __typename }'),
    answer: '400 OPERATION_RESOLUTION_FAILURE',
  },
  { name: 'an unknown field', send: () => gql('{ secrets }'), answer: '200 GRAPHQL_VALIDATION_FAILED' },
  // placeOrder
  { name: 'quantity as text', send: () => line({ quantity: '2' }), answer: '400 NO_CODE' },
  {
    name: 'quantity 0',
    send: () => line({ quantity: 0 }),
    answer: '200 INVALID_INPUT@input.items.0.quantity',
  },
  {
    name: 'quantity -5',
    send: () => line({ quantity: -5 }),
    answer: '200 INVALID_INPUT@input.items.0.quantity',
  },
  {
    name: 'quantity 10,001',
    send: () => line({ quantity: 10_001 }),
    answer: '200 INVALID_INPUT@input.items.0.quantity',
  },
  {
    name: 'quantity 2^31 - 1',
    send: () => line({ quantity: 2 ** 31 - 1 }),
    answer: '200 INVALID_INPUT@input.items.0.quantity',
  },
  { name: 'quantity 2^31', send: () => line({ quantity: 2 ** 31 }), answer: '400 NO_CODE' },
  { name: 'quantity 1.5', send: () => line({ quantity: 1.5 }), answer: '400 NO_CODE' },
  { name: 'no items', send: () => place({ items: [] }), answer: '200 INVALID_INPUT@input.items' },
  { name: 'items null', send: () => place({ items: null }), answer: '400 NO_CODE' },
  {
    name: '51 lines',
    send: () => place({ items: Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }),
    answer: '200 INVALID_INPUT@input.items',
  },
  {
    name: '10,000 lines',
    send: () => place({ items: Array.from({ length: 10_000 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }),
    answer: '413 NO_CODE',
  },
  {
    name: 'a sku twice',
    send: () =>
      place({
        items: [
          { sku: SKU, quantity: 1 },
          { sku: SKU, quantity: 2 },
        ],
      }),
    answer: '200 INVALID_INPUT@input.items',
  },
  { name: 'sku blank', send: () => line({ sku: '  ' }), answer: '200 INVALID_INPUT@input.items.0.sku' },
  { name: 'sku emoji', send: () => line({ sku: '🍺💥' }), answer: '200 INVALID_INPUT@input.items.0.sku' },
  {
    name: 'sku SQL-like',
    send: () => line({ sku: "x' OR '1'='1'; DROP TABLE product;--" }),
    answer: '200 INVALID_INPUT@input.items.0.sku',
  },
  {
    name: 'sku 65 characters',
    send: () => line({ sku: 'S'.repeat(65) }),
    answer: '200 INVALID_INPUT@input.items.0.sku',
  },
  {
    name: 'sku with NUL',
    send: () => line({ sku: 'MUG\u0000' }),
    answer: '200 INVALID_INPUT@input.items.0.sku',
  },
  { name: 'sku 60 KB', send: () => line({ sku: KB60 }), answer: '200 INVALID_INPUT@input.items.0.sku' },
  {
    name: 'orderId emoji',
    send: () => place({ orderId: '🧨order' }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  {
    name: 'orderId SQL-like',
    send: () => place({ orderId: "1'; DROP TABLE product;--" }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  {
    name: 'orderId with colons',
    send: () => place({ orderId: 'x:shipment:eu-west' }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  {
    name: 'orderId a path',
    send: () => place({ orderId: '../../etc/passwd' }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  {
    name: 'orderId 101 characters',
    send: () => place({ orderId: 'a'.repeat(101) }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  { name: 'orderId empty', send: () => place({ orderId: '' }), answer: '200 INVALID_INPUT@input.orderId' },
  { name: 'orderId 60 KB', send: () => place({ orderId: KB60 }), answer: '200 INVALID_INPUT@input.orderId' },
  {
    name: 'customerId blank',
    send: () => place({ customerId: '   ' }),
    answer: '200 INVALID_INPUT@input.customerId',
  },
  {
    name: 'customerId 129 characters',
    send: () => placeAs('staff', { customerId: 'c'.repeat(129) }),
    answer: '200 INVALID_INPUT@input.customerId',
  },
  {
    name: 'customerId 5,000 characters',
    send: () => placeAs('staff', { customerId: 'c'.repeat(5000) }),
    answer: '200 INVALID_INPUT@input.customerId',
  },
  {
    name: 'customerId with a line break',
    send: () => placeAs('staff', { customerId: 'ada\nbob' }),
    answer: '200 INVALID_INPUT@input.customerId',
  },
  {
    name: 'customerId a lone surrogate',
    send: () => placeAs('staff', { customerId: 'ada\ud800' }),
    answer: '200 INVALID_INPUT@input.customerId',
  },
  { name: 'customerId 1 MB', send: () => place({ customerId: MB }), answer: '413 NO_CODE' },
  {
    name: 'an address field missing',
    send: () => place({ address: { name: 'a', line1: 'b', city: 'c', country: 'd' } }),
    answer: '400 NO_CODE',
  },
  {
    name: 'postalCode blank',
    send: () => address({ postalCode: ' ' }),
    answer: '200 INVALID_INPUT@input.address.postalCode',
  },
  {
    name: 'name 101 characters',
    send: () => address({ name: 'n'.repeat(101) }),
    answer: '200 INVALID_INPUT@input.address.name',
  },
  {
    name: 'line1 201 characters',
    send: () => address({ line1: 'l'.repeat(201) }),
    answer: '200 INVALID_INPUT@input.address.line1',
  },
  {
    name: 'city with a bell',
    send: () => address({ city: 'Lon\u0007don' }),
    answer: '200 INVALID_INPUT@input.address.city',
  },
  {
    name: 'country 61 characters',
    send: () => address({ country: 'c'.repeat(61) }),
    answer: '200 INVALID_INPUT@input.address.country',
  },
  {
    name: 'postalCode 21 emoji',
    send: () => address({ postalCode: '📮'.repeat(21) }),
    answer: '200 INVALID_INPUT@input.address.postalCode',
  },
  {
    name: '5 address fields of 10 KB',
    send: () => {
      const big = 'y'.repeat(10_000);
      return address({ name: big, line1: big, city: big, postalCode: big, country: big });
    },
    answer: `200 ${['name', 'line1', 'city', 'postalCode', 'country'].map((f) => `INVALID_INPUT@input.address.${f}`).join(' ')}`,
  },
  {
    name: '5 address fields of 1 MB',
    send: () => address({ name: MB, line1: MB, city: MB, postalCode: MB, country: MB }),
    answer: '413 NO_CODE',
  },
  { name: 'flagged as text', send: () => place({ flagged: 'yes' }), answer: '400 NO_CODE' },
  { name: 'an unknown input field', send: () => place({ isStaff: true }), answer: '400 NO_CODE' },
  // Actions
  {
    name: 'pay an unknown order',
    send: () => payment({ orderId: 'no-such-order' }),
    answer: '200 UNKNOWN_ORDER@input.orderId',
  },
  {
    name: 'pay orderId a path',
    send: () => payment({ orderId: '../💣/x' }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  {
    name: 'pay orderId 10,000 characters',
    send: () => payment({ orderId: 'a'.repeat(10_000) }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  {
    name: 'pay orderId empty',
    send: () => payment({ orderId: '' }),
    answer: '200 INVALID_INPUT@input.orderId',
  },
  { name: 'paymentMethod blank', send: () => payment({ paymentMethod: '  ' }), answer: '200 INVALID_INPUT' },
  {
    name: 'paymentMethod 65 characters',
    send: () => payment({ paymentMethod: 't'.repeat(65) }),
    answer: '200 INVALID_INPUT@input.paymentMethod',
  },
  {
    name: 'paymentMethod 60 KB',
    send: () => payment({ paymentMethod: KB60 }),
    answer: '200 INVALID_INPUT@input.paymentMethod',
  },
  { name: 'paymentMethod 1 MB', send: () => payment({ paymentMethod: MB }), answer: '413 NO_CODE' },
  {
    name: 'paymentMethod with a space',
    send: () => payment({ paymentMethod: 'tok visa' }),
    answer: '200 INVALID_INPUT@input.paymentMethod',
  },
  {
    name: 'requestId 129 characters',
    send: () => payment({ requestId: 'r'.repeat(129) }),
    answer: '200 INVALID_INPUT@input.requestId',
  },
  {
    name: 'requestId 60 KB',
    send: () => payment({ requestId: KB60 }),
    answer: '200 INVALID_INPUT@input.requestId',
  },
  { name: 'requestId 1 MB', send: () => payment({ requestId: MB }), answer: '413 NO_CODE' },
  {
    name: 'requestId with a line break',
    send: () => payment({ requestId: 'req\n1' }),
    answer: '200 INVALID_INPUT@input.requestId',
  },
  {
    name: 'requestId emoji',
    send: () => payment({ requestId: 'req-🔁' }),
    answer: '200 INVALID_INPUT@input.requestId',
  },
  {
    name: 'cancel reason 501 characters',
    send: () => gql(CANCEL, { i: { orderId: awaiting[0], reason: 'r'.repeat(501) } }),
    answer: '200 INVALID_INPUT@input.reason',
  },
  {
    name: 'cancel reason with NUL',
    send: () => gql(CANCEL, { i: { orderId: awaiting[0], reason: 'why\u0000' } }),
    answer: '200 INVALID_INPUT@input.reason',
  },
  {
    name: 'cancel reason 60 KB',
    send: () => gql(CANCEL, { i: { orderId: awaiting[0], reason: KB60 } }),
    answer: '200 INVALID_INPUT@input.reason',
  },
  {
    name: 'audit reason 501 characters',
    send: () => gql(AUDIT, { i: { orderId: awaiting[0], approve: false, reason: 'r'.repeat(501) } }, 'staff'),
    answer: '200 INVALID_INPUT@input.reason',
  },
  {
    name: 'return reason 60 KB',
    send: () => gql(RETURN, { i: { orderId: awaiting[0], reason: KB60 } }),
    answer: '200 INVALID_INPUT@input.reason',
  },
  {
    name: 'return decision reason 501 characters',
    send: () =>
      gql(APPROVE, { i: { orderId: awaiting[0], approve: false, reason: 'r'.repeat(501) } }, 'staff'),
    answer: '200 INVALID_INPUT@input.reason',
  },
  {
    name: 'reject an audit not asked for',
    send: () => gql(AUDIT, { i: { orderId: awaiting[0], approve: false } }, 'staff'),
    answer: '200 NOT_AWAITING_AUDIT',
  },
  {
    name: 'decide a return not asked for',
    send: () => gql(APPROVE, { i: { orderId: awaiting[0], approve: true } }, 'staff'),
    answer: '200 NO_RETURN_REQUESTED',
  },
  {
    name: 'return an unpaid order',
    send: () => gql(RETURN, { i: { orderId: awaiting[0], reason: 'x' } }),
    answer: '200 RETURN_NOT_ALLOWED',
  },
  {
    name: 'the workflow refuses a 65-character paymentMethod sent past the API',
    send: () =>
      validatorAnswer(() =>
        stack.env.client.workflow
          .getHandle(awaiting[0] as string)
          .executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod: 't'.repeat(65) }] }),
      ),
    answer: 'refused INVALID_INPUT',
  },
  {
    name: 'the workflow refuses a 1 MB cancel reason sent past the API',
    send: () =>
      validatorAnswer(() =>
        stack.env.client.workflow
          .getHandle(awaiting[0] as string)
          .executeUpdate(ORDER_ACTIONS.cancel.update, { args: [{ reason: MB }] }),
      ),
    answer: 'refused INVALID_INPUT',
  },
  // The catalogue
  { name: 'stock -1', send: () => product({ stock: -1 }), answer: '200 INVALID_INPUT@input.stock' },
  {
    name: 'stock 10,000,001',
    send: () => product({ stock: 10_000_001 }),
    answer: '200 INVALID_INPUT@input.stock',
  },
  { name: 'price -1', send: () => product({ priceCents: -1 }), answer: '200 INVALID_INPUT@input.priceCents' },
  {
    name: 'price 100,000,001',
    send: () => product({ priceCents: 100_000_001 }),
    answer: '200 INVALID_INPUT@input.priceCents',
  },
  { name: 'price 2^31', send: () => product({ priceCents: 2 ** 31 }), answer: '400 NO_CODE' },
  {
    name: 'product sku SQL-like',
    send: () => product({ sku: "a'; DROP TABLE product;--" }),
    answer: '200 INVALID_INPUT@input.sku',
  },
  {
    name: 'product name 201 characters',
    send: () => product({ name: 'n'.repeat(201) }),
    answer: '200 INVALID_INPUT@input.name',
  },
  { name: 'product name 60 KB', send: () => product({ name: KB60 }), answer: '200 INVALID_INPUT@input.name' },
  {
    name: 'product name with an escape',
    send: () => product({ name: 'Mug\u001b[31m' }),
    answer: '200 INVALID_INPUT@input.name',
  },
  { name: 'product name 1 MB', send: () => product({ name: MB }), answer: '413 NO_CODE' },
  {
    name: 'warehouse 33 characters',
    send: () => product({ warehouse: 'w'.repeat(33) }),
    answer: '200 INVALID_INPUT@input.warehouse',
  },
  {
    name: 'warehouse 2,000 characters',
    send: () => product({ warehouse: 'w'.repeat(2000) }),
    answer: '200 INVALID_INPUT@input.warehouse',
  },
  {
    name: 'warehouse with a colon',
    send: () => product({ warehouse: 'eu:west' }),
    answer: '200 INVALID_INPUT@input.warehouse',
  },
  {
    name: 'warehouse empty',
    send: () => product({ warehouse: '' }),
    answer: '200 INVALID_INPUT@input.warehouse',
  },
  // Query arguments
  { name: 'order(id: "")', send: () => gql('{ order(id: "") { id } }'), answer: '200 BAD_USER_INPUT' },
  {
    name: 'order(id) 10,000 characters',
    send: () => gql(`{ order(id: "${'a'.repeat(10_000)}") { id } }`),
    answer: '200 BAD_USER_INPUT',
  },
  { name: 'order(id) a path', send: () => gql('{ order(id: "../x") { id } }'), answer: '200 BAD_USER_INPUT' },
  {
    name: 'orders(first: 0)',
    send: () => gql('{ orders(first: 0) { nodes { id } } }'),
    answer: '200 BAD_USER_INPUT',
  },
  {
    name: 'orders(first: 101)',
    send: () => gql('{ orders(first: 101) { nodes { id } } }'),
    answer: '200 BAD_USER_INPUT',
  },
  {
    name: 'orders(first: 2^31)',
    send: () => gql('{ orders(first: 2147483648) { nodes { id } } }'),
    answer: '200 GRAPHQL_VALIDATION_FAILED GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'orders(after: garbage)',
    send: () => gql('{ orders(after: "!!garbage!!") { nodes { id } } }'),
    answer: '200 BAD_USER_INPUT',
  },
  {
    name: 'orders(after) 201 characters',
    send: () => gql(`{ orders(after: "${'a'.repeat(201)}") { nodes { id } } }`),
    answer: '200 BAD_USER_INPUT',
  },
  {
    name: 'orders(status: BOGUS)',
    send: () => gql('{ orders(status: BOGUS) { nodes { id } } }'),
    answer: '200 GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'orders(customerId) 129 characters',
    send: () => gql(`{ orders(customerId: "${'c'.repeat(129)}") { nodes { id } } }`),
    answer: '200 BAD_USER_INPUT',
  },
  {
    name: 'orders(customerId) with NUL',
    send: () => gql('{ orders(customerId: "a\\u0000") { nodes { id } } }'),
    answer: '200 BAD_USER_INPUT',
  },
  {
    name: 'over SSE, orderStatus(id: "")',
    send: () =>
      send(JSON.stringify({ query: 'subscription { orderStatus(id: "") { version } }' }), {
        'content-type': 'application/json',
        accept: 'text/event-stream',
      }),
    answer: '200 not-json',
  },
  // Tokens
  {
    name: 'an empty Authorization header: anonymous, who may read the products',
    send: () => withAuthorization(''),
    answer: '200',
  },
  {
    name: 'no token, placing an order',
    send: () =>
      raw(JSON.stringify({ query: PLACE, variables: { i: order() } }), {
        'content-type': 'application/json',
      }),
    answer: '200 UNAUTHENTICATED',
  },
  {
    name: 'a token of 5,000 characters',
    send: () => withAuthorization(`Bearer ${'a'.repeat(5_000)}`),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a Basic credential',
    send: () => withAuthorization('Basic aG9zdGlsZTpwdw=='),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a token signed with another secret',
    send: async () =>
      withAuthorization(`Bearer ${await forged({}, 'hostile', 'another-secret-0123456789abcdefghij')}`),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a token with a 5,000-character sub',
    send: async () => withAuthorization(`Bearer ${await forged({}, 'x'.repeat(5_000))}`),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a token with a control character in sub',
    send: async () => withAuthorization(`Bearer ${await forged({}, 'hos\u0000tile')}`),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a token with role root',
    send: async () => withAuthorization(`Bearer ${await forged({ role: 'root' }, 'hostile')}`),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a token with alg none',
    send: () => withAuthorization(`Bearer ${unsigned({ sub: 'hostile', role: 'admin' })}`),
    answer: '401 UNAUTHENTICATED',
  },
  {
    name: 'a customer placing for another customer',
    send: () => place({ customerId: 'someone-else' }),
    answer: '200 FORBIDDEN@input.customerId',
  },
  {
    name: 'a customer editing the catalogue',
    send: () => gql(UPSERT, { i: { sku: SKU, name: 'Free', priceCents: 0, stock: 1, discontinued: false } }),
    answer: '200 FORBIDDEN',
  },
  {
    name: 'ws: a forged token at connection_init',
    send: async () =>
      exchange([], {
        token: await forged({ role: 'admin' }, 'hostile', 'another-secret-0123456789abcdefghij'),
      }),
    answer: 'close 4403',
  },
  // graphql-ws
  { name: 'ws: not JSON', send: () => exchange(['this is not json']), answer: 'close 4400' },
  {
    name: 'ws: subscribe before connection_init',
    send: () => exchange([subscribe('1', { id: 'x' })], { init: false }),
    answer: 'close 4401',
  },
  {
    name: 'ws: connection_init twice',
    send: () => exchange([connectionInit()]),
    answer: 'close 4429',
  },
  {
    name: 'ws: subscribe without payload',
    send: () => exchange([JSON.stringify({ id: '1', type: 'subscribe' })]),
    answer: 'close 4400',
  },
  {
    name: 'ws: unknown message type',
    send: () => exchange([JSON.stringify({ type: 'hack' })]),
    answer: 'close 4400',
  },
  {
    name: 'ws: a binary frame',
    send: () => exchange([Buffer.from([0xff, 0xfe, 0x00])]),
    answer: 'close 4400',
  },
  { name: 'ws: a 1 MB frame', send: () => exchange([subscribe('1', { id: MB })]), answer: 'close 1009' },
  {
    name: 'ws: the same subscription id twice',
    send: () => exchange([subscribe('same', { id: awaiting[0] }), subscribe('same', { id: awaiting[0] })]),
    answer: 'close 4409',
  },
  {
    name: 'ws: a syntax error',
    send: () =>
      exchange([
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { orderStatus(' } }),
      ]),
    answer: 'error:NO_CODE done',
  },
  {
    name: 'ws: orderStatus(id: "")',
    send: () => exchange([subscribe('1', { id: '' })]),
    answer: 'next:BAD_USER_INPUT complete done',
  },
  {
    name: 'ws: sinceVersion -5',
    send: () => exchange([subscribe('1', { id: awaiting[0], since: -5 })]),
    answer: 'next:BAD_USER_INPUT complete done',
  },
  {
    name: 'ws: sinceVersion 2^31',
    send: () => exchange([subscribe('1', { id: 'x', since: 2 ** 31 })]),
    answer: 'next:BAD_USER_INPUT complete done',
  },
  {
    name: 'ws: an order that does not exist',
    send: () => exchange([subscribe('1', { id: 'no-such-order' })], { waitMs: 10_000 }),
    answer: 'error:UNKNOWN_ORDER done',
  },
  {
    name: `ws: subscription ${PER_CONNECTION + 1} on one connection`,
    send: () => oneTooMany(awaiting.slice(0, 1), PER_CONNECTION),
    answer: 'error:TOO_MANY_SUBSCRIPTIONS',
  },
  {
    name: `ws: order ${WATCHED_ORDERS + 1} watched by the server`,
    send: () => oneTooMany(awaiting, WATCHED_ORDERS),
    answer: 'error:TOO_MANY_SUBSCRIPTIONS',
  },
];

/** What must not change: the catalogue, the order list and the number of workflows. */
async function snapshot(): Promise<string> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: jsonHeaders('admin'),
    body: JSON.stringify({
      query: `{ products { sku name priceCents available reserved sold discontinued warehouse }
        orders(first: 100) { nodes { id status version totalCents } } }`,
    }),
  });
  const { count } = await stack.env.client.workflow.count();
  return `${await response.text()} workflows: ${count}`;
}

function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

beforeAll(async () => {
  stack = await startStack('hostile-input', {
    AUTH_JWT_SECRET: SECRET,
    MAX_SUBSCRIPTIONS_PER_CONNECTION: String(PER_CONNECTION),
    MAX_WATCHED_ORDERS: String(WATCHED_ORDERS),
  });
  const auth = readConfig({ AUTH_JWT_SECRET: SECRET }).auth;
  tokens.customer = await signDevToken(auth, 'customer', 'hostile');
  tokens.staff = await signDevToken(auth, 'staff', 'hostile-staff');
  tokens.admin = await signDevToken(auth, 'admin', 'hostile-admin');
  url = stack.api.url;
  expect(await product({})).toBe('200');
  for (let index = 0; index < WATCHED_ORDERS + 1; index += 1) {
    const input = order();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: jsonHeaders(),
      body: JSON.stringify({ query: PLACE, variables: { i: input } }),
    });
    expect(await response.text()).toContain('AWAITING_PAYMENT');
    awaiting.push(input.orderId);
  }
});
afterAll(() => stack?.stop());

describe('hostile input', () => {
  it(`${cases.length} hostile requests each get their exact answer and change nothing`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    const before = await snapshot();
    const heapBefore = heapAfterGc();
    const answers: Record<string, string> = {};
    for (const { name, send: sendCase } of cases) {
      answers[name] = await sendCase();
      expect(await snapshot(), name).toBe(before);
    }
    expect(answers).toEqual(Object.fromEntries(cases.map(({ name, answer }) => [name, answer])));

    // Distinct documents of 60 KB each cannot pin memory: the parse caches keep a bounded number.
    for (let index = 0; index < 300; index += 1) {
      await gql(`{ products(pad: "${index}${KB60}") { sku } }`);
    }
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(heapAfterGc() - heapBefore).toBeLessThan(96 * 1024 * 1024);
    expect(await snapshot()).toBe(before);
  });

  it("the demo's operations, GraphiQL's introspection and a full order page stay within the limits", async () => {
    const legit = [
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true }),
      '{ products { sku name priceCents available reserved discontinued warehouse } }',
      '{ orders(first: 10) { nodes { id customerId status totalCents updatedAt } } }',
      `{ orders(first: 20) { edges { cursor node { id status items { sku name quantity } timeline { version status step message at } payment { status method refundedCents } shipments { id trackingNumber status } escalations } } } }`,
      `query Order($id: ID!) { order(id: $id) { ...OrderView } }
       fragment OrderView on Order { id customerId status version totalCents failure { code step message }
         items { sku name quantity } timeline { version status step message at } payment { status method refundedCents }
         shipments { id trackingNumber status } escalations }`,
    ];
    for (const query of legit) expect(await gql(query, { id: awaiting[0] })).toBe('200');
  });
});
