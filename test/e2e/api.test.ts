/**
 * The API end to end: HTTP, graphql-ws and SSE against a real Temporal dev server, the real worker and
 * MariaDB. Status streams arrive complete and in order, business errors come back as user errors with
 * codes, malformed input as validation errors naming the field, and nothing internal leaks.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OrderSummarySchema } from '../../database/entities';
import { collectOverSse, collectOverWebSocket, post, type StatusEvent } from '../support/graphql-client';
import { type Shelf, stockShelf } from '../support/ledger';
import { type ChildHandle, spawnTs } from '../support/processes';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let url: string;

beforeAll(async () => {
  stack = await startStack('api-e2e');
  url = stack.api.url;
});
afterAll(() => stack?.stop());

const ADDRESS = {
  name: 'Grace Hopper',
  line1: '1 Navy Way',
  city: 'Arlington',
  postalCode: '22202',
  country: 'US',
};

const PLACE = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status version totalCents } userErrors { field message code } }
}`;
const PAY = `mutation Pay($input: PayOrderInput!) {
  payOrder(input: $input) { order { id status payment { status } } userErrors { field message code } }
}`;

let orders = 0;
async function placeOrder(shelf: Shelf, extra: Record<string, unknown> = {}) {
  orders += 1;
  const input = {
    orderId: `api-${process.pid}-${orders}`,
    customerId: 'cust-api',
    items: [
      { sku: shelf.mug, quantity: 1 },
      { sku: shelf.lamp, quantity: 1 },
    ],
    address: ADDRESS,
    ...extra,
  };
  const response = await post<{
    placeOrder: { order: { id: string; status: string }; userErrors: unknown[] };
  }>(url, PLACE, { input });
  return { response, orderId: input.orderId };
}

const pay = (orderId: string, paymentMethod: string) => post(url, PAY, { input: { orderId, paymentMethod } });

function expectOrderedUpToCompleted(events: StatusEvent[]) {
  const versions = events.map((event) => event.version);
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  expect(new Set(versions).size).toBe(versions.length);
  expect(versions).toEqual(versions.map((_, index) => (versions[0] ?? 0) + index));
  const statuses = events.map((event) => event.status);
  expect(statuses).toEqual(expect.arrayContaining(['AWAITING_PAYMENT', 'CHARGING', 'SHIPPING', 'COMPLETED']));
  expect(statuses.indexOf('COMPLETED')).toBeGreaterThan(statuses.indexOf('SHIPPING'));
  expect(statuses.at(-1)).toBe('COMPLETED');
}

describe('live order status', () => {
  it('over graphql-ws: every status of a paid order in order, versions strictly increasing, ending COMPLETED, then complete', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId, response } = await placeOrder(shelf);
    expect(response.body.data?.placeOrder.order.status).toBe('AWAITING_PAYMENT');
    let snapshot: () => void = () => undefined;
    const snapshotSeen = new Promise<void>((resolve) => {
      snapshot = resolve;
    });
    const subscription = collectOverWebSocket(url, { id: orderId }, () => snapshot());
    await snapshotSeen;
    expect((await pay(orderId, 'tok_visa')).body.data).toMatchObject({ payOrder: { userErrors: [] } });
    const events = await subscription.done;
    expect(events[0]?.status).toBe('AWAITING_PAYMENT');
    expectOrderedUpToCompleted(events);
  });

  it('over SSE: the same stream, from the first version with sinceVersion 0', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf);
    const streamed = collectOverSse(url, { id: orderId, since: 0 });
    await pay(orderId, 'tok_visa');
    const events = await streamed;
    expect(events[0]?.version).toBe(1);
    expect(events[0]?.status).toBe('VALIDATING');
    expectOrderedUpToCompleted(events);
  });

  it('a late subscriber with sinceVersion gets every entry it missed and nothing twice', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf);
    const early: StatusEvent[] = [];
    const first = collectOverWebSocket(url, { id: orderId }, (event) => early.push(event));
    await pay(orderId, 'tok_visa');
    const everything = await first.done;
    const seen = everything[1]?.version ?? 1;
    const late = await collectOverWebSocket(url, { id: orderId, since: seen }).done;
    expect(late.map((event) => event.version)).toEqual(
      everything.filter((event) => event.version > seen).map((event) => event.version),
    );
  });

  it('stops the watcher when the last subscriber leaves', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf);
    const received: StatusEvent[] = [];
    const one = collectOverWebSocket(url, { id: orderId }, (event) => received.push(event));
    const two = collectOverWebSocket(url, { id: orderId }, (event) => received.push(event));
    await until(() => received.length >= 2);
    expect(stack.api.feed.activeWatchers()).toBe(1);
    one.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stack.api.feed.activeWatchers()).toBe(1);
    two.close();
    await until(() => stack.api.feed.activeWatchers() === 0);
    expect(stack.api.feed.activeWatchers()).toBe(0);
    await post(url, 'mutation($id: ID!) { cancelOrder(input: { orderId: $id }) { userErrors { code } } }', {
      id: orderId,
    });
  });

  it('a subscription that is not GraphQL is answered as a syntax error over graphql-ws, not a dropped socket', async () => {
    const client = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket });
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { this is not graphql' },
        {
          next: () => undefined,
          error: resolve,
          complete: () => resolve('completed'),
        },
      );
    }).finally(() => client.dispose());
    expect(outcome).toEqual([expect.objectContaining({ message: expect.stringContaining('Syntax Error') })]);
  });

  it('an unknown order id is an error with a code, not a hanging stream', async () => {
    await expect(collectOverWebSocket(url, { id: 'no-such-order' }).done).rejects.toThrow(/UNKNOWN_ORDER/);
  });
});

describe('two server instances', () => {
  let second: ChildHandle;
  beforeAll(async () => {
    second = spawnTs('server/main.ts', { ...stack.processEnv, PORT: '0' });
    await second.waitFor(/Orderflow API on http:\/\/localhost:\d+/);
  });
  afterAll(() => second?.kill());

  it('each stream the same order from Temporal, complete and in order; the second, with no worker in it, learns of every change from the order table', async () => {
    const secondUrl = /Orderflow API on (http:\/\/localhost:\d+)/.exec(second.output())?.[1] ?? '';
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf);
    const here = collectOverWebSocket(url, { id: orderId, since: 0 });
    const there = collectOverWebSocket(secondUrl, { id: orderId, since: 0 });
    await pay(orderId, 'tok_visa');
    const [hereEvents, thereEvents] = await Promise.all([here.done, there.done]);
    expectOrderedUpToCompleted(thereEvents);
    // The entries must be identical; the order attached to each is whatever state that server last read.
    const entries = (events: StatusEvent[]) =>
      events.map(({ version, status, step, message, at }) => ({ version, status, step, message, at }));
    expect(entries(thereEvents)).toEqual(entries(hereEvents));
  });

  it('a read on one server right after a mutation answered on the other shows at least the version it answered', async () => {
    const secondUrl = /Orderflow API on (http:\/\/localhost:\d+)/.exec(second.output())?.[1] ?? '';
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf);
    const paid = await post<{ payOrder: { order: { version: number } } }>(
      secondUrl,
      'mutation Pay($input: PayOrderInput!) { payOrder(input: $input) { order { version } } }',
      { input: { orderId, paymentMethod: 'tok_visa' } },
    );
    const answered = paid.body.data?.payOrder.order.version ?? Number.NaN;
    const read = await post<{ order: { version: number } }>(
      url,
      'query($id: ID!) { order(id: $id) { version } }',
      {
        id: orderId,
      },
    );
    expect(read.body.data?.order.version).toBeGreaterThanOrEqual(answered);
  });
});

describe('errors', () => {
  it('every mutation answers an unknown order with UNKNOWN_ORDER', async () => {
    const mutations = [
      ['payOrder', '{ orderId: "ghost", paymentMethod: "tok_visa" }'],
      ['auditOrder', '{ orderId: "ghost", approve: true }'],
      ['cancelOrder', '{ orderId: "ghost" }'],
      ['requestReturn', '{ orderId: "ghost", reason: "x" }'],
      ['approveReturn', '{ orderId: "ghost", approve: true }'],
    ];
    for (const [name, input] of mutations) {
      const response = await post(
        url,
        `mutation { ${name}(input: ${input}) { order { id } userErrors { code field } } }`,
      );
      expect(response.body.data?.[name as string]).toEqual({
        order: null,
        userErrors: [{ code: 'UNKNOWN_ORDER', field: ['input', 'orderId'] }],
      });
    }
  });

  it('actions in the wrong state, out of stock and a declined card come back as user errors with their codes', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf);
    const codeOf = async (mutation: string) => {
      const response = await post(url, `mutation { ${mutation} { userErrors { code message } } }`);
      return (Object.values(response.body.data ?? {})[0] as { userErrors: { code: string }[] }).userErrors[0]
        ?.code;
    };
    expect(await codeOf(`auditOrder(input: { orderId: "${orderId}", approve: true })`)).toBe(
      'NOT_AWAITING_AUDIT',
    );
    expect(await codeOf(`requestReturn(input: { orderId: "${orderId}", reason: "x" })`)).toBe(
      'RETURN_NOT_ALLOWED',
    );
    expect(await codeOf(`approveReturn(input: { orderId: "${orderId}", approve: true })`)).toBe(
      'NO_RETURN_REQUESTED',
    );
    expect(
      await codeOf(`payOrder(input: { orderId: "${orderId}", paymentMethod: "tok_chargeDeclined" })`),
    ).toBe('PAYMENT_DECLINED');
    expect(await codeOf(`payOrder(input: { orderId: "${orderId}", paymentMethod: "tok_visa" })`)).toBe(
      'NOT_AWAITING_PAYMENT',
    );
    expect(await codeOf(`cancelOrder(input: { orderId: "${orderId}" })`)).toBe('NOT_CANCELLABLE');

    const { response } = await placeOrder(shelf, { items: [{ sku: shelf.lamp, quantity: 6 }] });
    expect(response.body.data?.placeOrder).toMatchObject({
      order: { status: 'FAILED' },
      userErrors: [{ code: 'OUT_OF_STOCK' }],
    });
    const retired = await placeOrder(shelf, { items: [{ sku: shelf.retired, quantity: 1 }] });
    expect(retired.response.body.data?.placeOrder.userErrors).toMatchObject([{ code: 'DISCONTINUED' }]);
  });

  it('placing an order again with its id returns the same order and starts nothing new', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const first = await placeOrder(shelf);
    orders -= 1;
    const again = await placeOrder(shelf);
    expect(again.orderId).toBe(first.orderId);
    expect(again.response.body.data?.placeOrder.order.id).toBe(first.orderId);
    const products = await post<{ products: { sku: string; reserved: number }[] }>(
      url,
      '{ products { sku reserved } }',
    );
    expect(products.body.data?.products.find((product) => product.sku === shelf.mug)?.reserved).toBe(1);
  });

  it('bad values name the input field; malformed input is a validation error naming the field; no stack, no 500', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { response } = await placeOrder(shelf, {
      items: [{ sku: shelf.mug, quantity: -1 }],
      address: { ...ADDRESS, city: '' },
    });
    expect(response.body.data?.placeOrder.userErrors).toEqual([
      { field: ['input', 'items', '0', 'quantity'], code: 'INVALID_INPUT', message: expect.any(String) },
      { field: ['input', 'address', 'city'], code: 'INVALID_INPUT', message: expect.any(String) },
    ]);
    const upsert = await post(
      url,
      'mutation { upsertProduct(input: { sku: "X1", name: "X", priceCents: -5, stock: 1, discontinued: false }) { userErrors { field code } } }',
    );
    expect(upsert.body.data).toEqual({
      upsertProduct: { userErrors: [{ field: ['input', 'priceCents'], code: 'INVALID_INPUT' }] },
    });

    const malformed = [
      'mutation { placeOrder(input: { customerId: "c", items: [{ sku: "A", quantity: "two" }], address: { name: "a", line1: "b", city: "c", postalCode: "d", country: "e" } }) { order { id } } }',
      'mutation { payOrder(input: { orderId: "x" }) { order { id } } }',
      '{ orders(first: 101) { nodes { id } } }',
      '{ orders(after: "not-a-cursor") { nodes { id } } }',
      '{ order(id: "x") { nope } }',
      'this is not graphql',
    ];
    for (const query of malformed) {
      const result = await post(url, query);
      expect(result.status).toBeLessThan(500);
      expect(result.body.errors?.length).toBeGreaterThan(0);
      expect(result.text).not.toMatch(/\s+at\s.+\(.+:\d+:\d+\)|node_modules/);
    }
    const quantity = await post(url, malformed[0] as string);
    expect(quantity.body.errors?.[0]?.message).toMatch(/quantity|Int/);
    const paymentMethod = await post(url, malformed[1] as string);
    expect(paymentMethod.body.errors?.[0]?.message).toContain('paymentMethod');
    const first = await post(url, malformed[2] as string);
    expect(first.body.errors?.[0]?.message).toContain('first');
  });

  it('the order list is consistent right after a change and filters by status and customer', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf, { customerId: 'list-customer' });
    const list = await post<{ orders: { nodes: { id: string; status: string }[] } }>(
      url,
      '{ orders(customerId: "list-customer", status: AWAITING_PAYMENT, first: 5) { nodes { id status } } }',
    );
    expect(list.body.data?.orders.nodes).toEqual([{ id: orderId, status: 'AWAITING_PAYMENT' }]);
  });
});

describe('order pages', () => {
  it('follow each other newest first by cursor, every order once', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const placed: string[] = [];
    for (let index = 0; index < 3; index += 1)
      placed.push((await placeOrder(shelf, { customerId: 'pager' })).orderId);
    type Page = {
      orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const page = (after: string | null) =>
      post<Page>(
        url,
        'query($after: String) { orders(customerId: "pager", first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    const first = (await page(null)).body.data?.orders;
    const second = (await page(first?.pageInfo.endCursor ?? null)).body.data?.orders;
    expect(first?.pageInfo.hasNextPage).toBe(true);
    expect(second?.pageInfo.hasNextPage).toBe(false);
    const listed = [...(first?.nodes ?? []), ...(second?.nodes ?? [])].map((node) => node.id);
    expect([...listed].sort()).toEqual([...placed].sort());
  });
});

describe('order reads', () => {
  const READ = `query Read($id: ID!, $fresh: Boolean) {
    order(id: $id, fresh: $fresh) { version status timeline { version } payment { status } }
  }`;
  type ReadOrder = { version: number; status: string; timeline: { version: number }[] };
  const read = async (id: string, fresh = false) =>
    (await post<{ order: ReadOrder }>(url, READ, { id, fresh })).body.data?.order;

  it('right after each mutation a read shows at least the version it answered with', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId, response } = await placeOrder(shelf);
    const placed = response.body.data?.placeOrder.order as unknown as { version: number };
    expect((await read(orderId))?.version).toBeGreaterThanOrEqual(placed.version);
    const paid = await post<{ payOrder: { order: { version: number } } }>(
      url,
      'mutation Pay($input: PayOrderInput!) { payOrder(input: $input) { order { version } } }',
      { input: { orderId, paymentMethod: 'tok_visa' } },
    );
    const after = await read(orderId);
    expect(after?.version).toBeGreaterThanOrEqual(paid.body.data?.payOrder.order.version ?? Number.NaN);
    expect(after?.timeline.map((entry) => entry.version)).toEqual(
      Array.from({ length: after?.version ?? 0 }, (_, index) => index + 1),
    );
  });

  it('order(id) and orders(...) answer from the order table; fresh: true asks the workflow', async () => {
    const shelf = await stockShelf(stack.db.orm);
    const { orderId } = await placeOrder(shelf, { customerId: 'table-reader' });
    const fromWorkflow = await read(orderId, true);
    expect(fromWorkflow?.status).toBe('AWAITING_PAYMENT');
    // A row edited by hand shows that the plain reads come from the table, not from the workflow.
    const em = stack.db.orm.em.fork();
    const row = await em.findOneOrFail(OrderSummarySchema, { orderId }, { populate: ['snapshot'] });
    row.snapshot = JSON.stringify({ ...JSON.parse(row.snapshot ?? '{}'), status: 'CHARGING' });
    await em.flush();
    expect((await read(orderId))?.status).toBe('CHARGING');
    expect((await read(orderId, true))?.status).toBe('AWAITING_PAYMENT');
    const list = await post<{ orders: { nodes: unknown[] } }>(
      url,
      '{ orders(customerId: "table-reader", first: 5) { nodes { id status timeline { version } } } }',
    );
    expect(list.body.data?.orders.nodes).toEqual([
      { id: orderId, status: 'CHARGING', timeline: fromWorkflow?.timeline },
    ]);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
