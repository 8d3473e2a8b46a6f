/**
 * With Temporal or the database unreachable (a proxy in front of each, cut), the API says so and nothing else:
 * mutations answer the user error TEMPORARILY_UNAVAILABLE, queries a GraphQL error with that code, subscriptions
 * ORDER_UNAVAILABLE; no address or driver message reaches the caller. Once the dependency is back, the same
 * request (the same requestId) goes through.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../common/config';
import { openOrm } from '../../database/orm';
import { type RunningApi, startApi } from '../../server/start-api';
import { createActivities } from '../../worker/activities';
import type { OrderWorker } from '../../worker/run-worker';
import { createTestOrm, type TestDatabase } from '../support/database';
import { collectOverWebSocket, post } from '../support/graphql-client';
import { stockShelf } from '../support/ledger';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { startDevServer, startWorker } from '../support/temporal';

const TASK_QUEUE = 'dependency-down-test';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: OrderWorker;
let running: Promise<void>;
let temporal: TcpProxy;
let database: TcpProxy;
let apiOrm: MikroORM;
let api: RunningApi;

beforeAll(async () => {
  [env, db] = await Promise.all([startDevServer(), createTestOrm()]);
  const [temporalHost = '', temporalPort = ''] = env.address.split(':');
  const databaseUrl = new URL(db.databaseUrl);
  temporal = await startTcpProxy(temporalHost, Number(temporalPort));
  database = await startTcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 3306));
  databaseUrl.host = database.address;
  // Only the API goes through the proxies; the worker keeps its own way to both.
  apiOrm = await openOrm({ databaseUrl: databaseUrl.toString(), sqlitePath: '' });
  api = await startApi(
    readConfig({ PORT: '0', TASK_QUEUE, AUTH_DISABLED: 'true' }),
    apiOrm,
    temporal.address,
  );
  worker = await startWorker(env, TASK_QUEUE, createActivities({ orm: db.orm }));
  running = worker.run();
});

afterAll(async () => {
  await Promise.all([temporal?.restore(), database?.restore()]);
  await api?.close();
  worker?.shutdown();
  await running;
  await apiOrm?.close(true);
  await Promise.all([temporal?.close(), database?.close()]);
  await env?.teardown();
  await db?.dispose();
});

interface Payload {
  order: { id: string; status: string } | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
}

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id status } userErrors { field code message } } }`;
const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) {
  order { id status } userErrors { field code message } } }`;
const UPSERT = `mutation($input: UpsertProductInput!) { upsertProduct(input: $input) {
  product { sku } userErrors { field code message } } }`;

/** Nothing of the dependency's address or its driver's words reaches a caller. */
function expectNothingInternal(text: string): void {
  expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|UNAVAILABLE:|Error 14|stack|at \w+ \(/);
}

async function placeOrder(sku: string) {
  return post<{ placeOrder: Payload }>(api.url, PLACE, {
    input: {
      customerId: 'outage',
      items: [{ sku, quantity: 1 }],
      address: { name: 'A', line1: '1 Road', city: 'Lyon', postalCode: '69001', country: 'FR' },
    },
  });
}

describe('Temporal unreachable', () => {
  it('a mutation answers TEMPORARILY_UNAVAILABLE, a fresh read its GraphQL error, a subscription ORDER_UNAVAILABLE, a plain read the order table; the same payment goes through once Temporal is back', async () => {
    const shelf = await stockShelf(db.orm);
    const placed = await placeOrder(shelf.mug);
    const orderId = placed.body.data?.placeOrder.order?.id ?? '';
    expect(placed.body.data?.placeOrder.order?.status).toBe('AWAITING_PAYMENT');

    await temporal.cut();
    const [paid, read, freshRead, stream, another] = await Promise.all([
      post<{ payOrder: Payload }>(api.url, PAY, {
        input: { orderId, paymentMethod: 'tok_visa', requestId: `${orderId}-pay` },
      }),
      post(api.url, 'query($id: ID!) { order(id: $id) { id status } }', { id: orderId }),
      post(api.url, 'query($id: ID!) { order(id: $id, fresh: true) { id status } }', { id: orderId }),
      collectOverWebSocket(api.url, { id: orderId }).done.then(
        () => 'completed',
        (error: Error) => error.message,
      ),
      placeOrder(shelf.mug),
    ]);

    expect(paid.body.data?.payOrder).toEqual({
      order: null,
      userErrors: [
        { field: null, code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringContaining('Temporal') },
      ],
    });
    expect(another.body.data?.placeOrder.userErrors.map((error) => error.code)).toEqual([
      'TEMPORARILY_UNAVAILABLE',
    ]);
    expect(read.body).toEqual({ data: { order: { id: orderId, status: 'AWAITING_PAYMENT' } } });
    expect(freshRead.body.data).toEqual({ order: null });
    expect(freshRead.body.errors).toEqual([
      expect.objectContaining({ path: ['order'], extensions: { code: 'TEMPORARILY_UNAVAILABLE' } }),
    ]);
    expect(stream).toContain('ORDER_UNAVAILABLE');
    for (const answer of [paid.text, freshRead.text, another.text, stream]) expectNothingInternal(answer);

    await temporal.restore();
    const retried = await post<{ payOrder: Payload }>(api.url, PAY, {
      input: { orderId, paymentMethod: 'tok_visa', requestId: `${orderId}-pay` },
    });
    expect(retried.body.data?.payOrder.userErrors).toEqual([]);
    expect(retried.body.data?.payOrder.order?.status).toMatch(/SHIPPING|COMPLETED/);
  }, 120_000);
});

describe('the database unreachable', () => {
  it('queries of the catalogue and the order list answer TEMPORARILY_UNAVAILABLE, upsertProduct as a user error; all work again once it is back', async () => {
    await database.cut();
    const [products, orders, upserted] = await Promise.all([
      post(api.url, '{ products { sku } }'),
      post(api.url, '{ orders(first: 5) { edges { node { id } } } }'),
      post<{ upsertProduct: { product: null; userErrors: Payload['userErrors'] } }>(api.url, UPSERT, {
        input: { sku: 'OUTAGE-1', name: 'Outage', priceCents: 100, stock: 1, discontinued: false },
      }),
    ]);
    expect(products.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({ path: ['products'], extensions: { code: 'TEMPORARILY_UNAVAILABLE' } }),
      ],
    });
    expect(orders.body.errors?.[0]).toMatchObject({
      path: ['orders'],
      message: expect.stringContaining('the database'),
      extensions: { code: 'TEMPORARILY_UNAVAILABLE' },
    });
    expect(upserted.body.data?.upsertProduct).toEqual({
      product: null,
      userErrors: [
        { field: null, code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringContaining('the database') },
      ],
    });
    for (const answer of [products.text, orders.text, upserted.text]) expectNothingInternal(answer);

    await database.restore();
    const again = await post<{ upsertProduct: { product: { sku: string } } }>(api.url, UPSERT, {
      input: { sku: 'OUTAGE-1', name: 'Outage', priceCents: 100, stock: 1, discontinued: false },
    });
    expect(again.body.data?.upsertProduct.product).toEqual({ sku: 'OUTAGE-1' });
    expect((await post(api.url, '{ products { sku } }')).body.errors).toBeUndefined();
  });
});
