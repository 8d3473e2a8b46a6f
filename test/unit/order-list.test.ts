/**
 * The order list through the real schema on an in-memory SQLite order table: pages answer from the table
 * alone when they ask only for its fields, read each order's workflow once when they ask for more, and
 * follow each other newest first.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../common/order';
import { waitUntilListed } from '../../database/order-list';
import { orderSummaryActivities } from '../../worker/activities/order-summaries';
import { FakeOrders, sampleOrder } from '../support/fake-orders';
import { type SchemaHarness, schemaHarness } from '../support/schema-harness';

let harness: SchemaHarness;

function summary(index: number, overrides: Partial<OrderSummary> = {}): OrderSummary {
  const at = new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString();
  return {
    orderId: `o${index}`,
    customerId: index % 2 === 0 ? 'even' : 'odd',
    status: index % 2 === 0 ? 'COMPLETED' : 'AWAITING_PAYMENT',
    version: 4,
    totalCents: 1_000 * index,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

beforeAll(async () => {
  harness = await schemaHarness({ read: (orderId) => Promise.resolve(sampleOrder(orderId)) });
  const { recordOrderSummary } = orderSummaryActivities(harness.orm);
  for (let index = 1; index <= 5; index += 1) await recordOrderSummary(summary(index));
});
afterAll(() => harness?.close());
beforeEach(() => {
  harness.calls.length = 0;
});

async function run<T>(source: string): Promise<T> {
  const result = await harness.execute(source);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

describe('the order list', () => {
  it('a page asking only for list fields is answered from the order table, asking no workflow', async () => {
    const data = await run<{ orders: { nodes: { id: string; status: string; totalCents: number }[] } }>(
      '{ orders(first: 2) { nodes { id status totalCents __typename } } }',
    );
    expect(data.orders.nodes).toEqual([
      { id: 'o5', status: 'AWAITING_PAYMENT', totalCents: 5_000, __typename: 'Order' },
      { id: 'o4', status: 'COMPLETED', totalCents: 4_000, __typename: 'Order' },
    ]);
    await run(
      '{ orders { edges { node { ...Row } } } } fragment Row on Order { id version ... on Order { updatedAt } }',
    );
    expect(harness.calls).toEqual([]);
  });

  it('a page asking for details reads each listed order from its workflow, once', async () => {
    const data = await run<{ orders: { nodes: { id: string; timeline: unknown[]; items: unknown[] }[] } }>(
      '{ orders(first: 3) { nodes { id status timeline { version } items { sku } payment { status } } } }',
    );
    expect(data.orders.nodes.map((node) => node.id)).toEqual(['o5', 'o4', 'o3']);
    expect(data.orders.nodes.every((node) => node.timeline.length === 1 && node.items.length === 1)).toBe(
      true,
    );
    expect(harness.calls.sort()).toEqual(['read o3', 'read o4', 'read o5']);
  });

  it('pages follow each other newest first and filter by status and customer', async () => {
    type Page = {
      orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const ids: string[] = [];
    let after = '';
    for (let hasNextPage = true; hasNextPage; ) {
      const page = await run<Page>(
        `{ orders(first: 2${after && `, after: "${after}"`}) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
      );
      ids.push(...page.orders.nodes.map((node) => node.id));
      ({ hasNextPage, endCursor: after } = page.orders.pageInfo);
    }
    expect(ids).toEqual(['o5', 'o4', 'o3', 'o2', 'o1']);
    const filtered = await run<Page>('{ orders(status: COMPLETED, customerId: "even") { nodes { id } } }');
    expect(filtered.orders.nodes.map((node) => node.id)).toEqual(['o4', 'o2']);
  });

  it('a late, older status never overwrites a newer one in the list', async () => {
    const { recordOrderSummary } = orderSummaryActivities(harness.orm);
    await recordOrderSummary(summary(9, { status: 'SHIPPING', version: 6 }));
    await recordOrderSummary(summary(9, { status: 'CHARGING', version: 5 }));
    await recordOrderSummary(summary(9, { status: 'SHIPPING', version: 6 }));
    const data = await run<{ orders: { nodes: { id: string; status: string; version: number }[] } }>(
      '{ orders(first: 1) { nodes { id status version } } }',
    );
    expect(data.orders.nodes).toEqual([{ id: 'o9', status: 'SHIPPING', version: 6 }]);
  });

  it('a mutation can wait until the list shows the status it returned, entered at an earlier version than its last', async () => {
    const orders = new FakeOrders();
    orders.place('w1');
    orders.advance('w1', 'RESERVING');
    orders.advance('w1', 'AWAITING_PAYMENT');
    orders.advance('w1', 'AWAITING_PAYMENT', 'reminder sent');
    const state = await orders.read('w1');
    if (!state) throw new Error('w1 was placed');
    const { recordOrderSummary } = orderSummaryActivities(harness.orm);
    const row = (status: OrderSummary['status'], version: number) =>
      summary(20, { orderId: 'w1', status, version });
    await recordOrderSummary(row('RESERVING', 2));
    expect(await waitUntilListed(harness.orm, state, 60)).toBe(false);

    const listed = waitUntilListed(harness.orm, state, 2_000);
    setTimeout(() => void recordOrderSummary(row('AWAITING_PAYMENT', 3)), 50);
    expect(await listed).toBe(true);
  });
});
