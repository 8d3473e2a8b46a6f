/**
 * The orders a benchmark places through the API, as its callers do (each customer with a token of their own, staff
 * and admin with theirs), and what such an order must read back as.
 */
import { type EmbeddedStack, graphql } from './embedded-stack';

const CUSTOMERS = 8;
const POLL_MS = 100;
const COMPLETION_TIMEOUT_MS = 120_000;

export const PRODUCTS = [
  { sku: 'BENCH-MUG', name: 'Bench mug', priceCents: 1_500, warehouse: 'eu-west' },
  { sku: 'BENCH-LAMP', name: 'Bench lamp', priceCents: 4_500, warehouse: 'us-east' },
];
/** Two warehouses, so a paid order has two shipments. */
const LINES = [
  { sku: 'BENCH-LAMP', quantity: 1 },
  { sku: 'BENCH-MUG', quantity: 2 },
];
const ADDRESS = {
  name: 'Ada',
  line1: '12 St James Sq',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

export const DETAIL = `id customerId status version totalCents failureReason
  items { sku quantity unitPriceCents } timeline { version status step message at }
  payment { status amountCents refundedCents } shipments { id warehouse trackingNumber status }`;

const PLACE = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status } userErrors { code message } } }`;
const PAY = `mutation Pay($input: PayOrderInput!) {
  payOrder(input: $input) { order { id status } userErrors { code message } } }`;
const UPSERT = `mutation Upsert($input: UpsertProductInput!) {
  upsertProduct(input: $input) { product { sku } userErrors { code message } } }`;
const STATUS = 'query Status($id: ID!) { order(id: $id) { status failureReason } }';

export interface OrderDetail {
  id: string;
  customerId: string;
  status: string;
  version: number;
  totalCents: number;
  failureReason: string | null;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  timeline: { version: number; status: string; step: string | null; message: string; at: string }[];
  payment: { status: string; amountCents: number; refundedCents: number };
  shipments: { id: string; warehouse: string; trackingNumber: string; status: string }[];
}

export interface PlacedOrder {
  id: string;
  customer: string;
  paid: boolean;
}

interface Payload {
  order: { id: string; status: string } | null;
  userErrors: { code: string; message: string }[];
}

export interface Api {
  url: string;
  graphqlUrl: string;
  admin: string;
  staff: string;
  tokenOf(customer: string): Promise<string>;
}

export async function apiOf(stack: EmbeddedStack): Promise<Api> {
  const tokens = new Map<string, Promise<string>>();
  return {
    url: stack.url,
    graphqlUrl: `${stack.url}/graphql`,
    admin: await stack.token('admin'),
    staff: await stack.token('staff'),
    tokenOf(customer) {
      const token = tokens.get(customer) ?? stack.token('customer', customer);
      tokens.set(customer, token);
      return token;
    },
  };
}

function refuseUserErrors(orderId: string, step: string, payload: Payload): { id: string; status: string } {
  if (payload.userErrors.length > 0 || !payload.order) {
    throw new Error(`order ${orderId}, ${step}: ${JSON.stringify(payload.userErrors)}`);
  }
  return payload.order;
}

export async function seedCatalogue(api: Api): Promise<void> {
  for (const product of PRODUCTS) {
    const { upsertProduct } = await graphql<{ upsertProduct: { userErrors: unknown[] } }>(
      api.url,
      api.admin,
      UPSERT,
      { input: { ...product, stock: 1_000_000, discontinued: false } },
    );
    if (upsertProduct.userErrors.length > 0) {
      throw new Error(`product ${product.sku}, upsertProduct: ${JSON.stringify(upsertProduct.userErrors)}`);
    }
  }
}

async function untilCompleted(api: Api, orderId: string, token: string): Promise<void> {
  for (const deadline = Date.now() + COMPLETION_TIMEOUT_MS; ; ) {
    const { order } = await graphql<{ order: { status: string; failureReason: string | null } | null }>(
      api.url,
      token,
      STATUS,
      { id: orderId },
    );
    if (order?.status === 'COMPLETED') return;
    if (['FAILED', 'CANCELLED', 'REJECTED'].includes(order?.status ?? '')) {
      throw new Error(
        `order ${orderId}, waiting for COMPLETED: it ended ${order?.status} (${order?.failureReason})`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `order ${orderId}, waiting for COMPLETED: still ${order?.status} after ${COMPLETION_TIMEOUT_MS} ms`,
      );
    }
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

/** Places an order as its customer and, when `pay`, pays it and waits until it is COMPLETED. */
export async function placeOrder(api: Api, order: PlacedOrder): Promise<void> {
  const token = await api.tokenOf(order.customer);
  const placed = await graphql<{ placeOrder: Payload }>(api.url, token, PLACE, {
    input: { orderId: order.id, items: LINES, address: ADDRESS },
  });
  const { status } = refuseUserErrors(order.id, 'placeOrder', placed.placeOrder);
  if (status !== 'AWAITING_PAYMENT') throw new Error(`order ${order.id}, placeOrder: answered ${status}`);
  if (!order.paid) return;
  const paid = await graphql<{ payOrder: Payload }>(api.url, token, PAY, {
    input: { orderId: order.id, paymentMethod: 'tok_visa', requestId: `${order.id}-pay` },
  });
  refuseUserErrors(order.id, 'payOrder', paid.payOrder);
  await untilCompleted(api, order.id, token);
}

/** Runs `count` tasks, `lanes` at a time. */
export async function inFlight<T>(
  count: number,
  lanes: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await task(index);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
  return results;
}

export const customerOf = (index: number) => `bench-customer-${index % CUSTOMERS}`;

const EXPECTED_ITEMS = LINES.map((line) => ({
  ...line,
  unitPriceCents: PRODUCTS.find((product) => product.sku === line.sku)?.priceCents ?? 0,
}));
const EXPECTED_TOTAL = EXPECTED_ITEMS.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);

/** What an order's detail gets wrong against what was placed (and paid); empty when nothing. */
export function detailProblems(order: OrderDetail | null | undefined, placed: PlacedOrder): string[] {
  if (!order) return [`order ${placed.id}: not found`];
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      problems.push(
        `order ${placed.id}: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`,
      );
    }
  };
  expect('id', order.id, placed.id);
  expect('customerId', order.customerId, placed.customer);
  expect('status', order.status, placed.paid ? 'COMPLETED' : 'AWAITING_PAYMENT');
  expect('failureReason', order.failureReason, null);
  const items = order.items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents }));
  expect(
    'items',
    items.sort((a, b) => a.sku.localeCompare(b.sku)),
    EXPECTED_ITEMS,
  );
  expect('totalCents', order.totalCents, EXPECTED_TOTAL);
  if (placed.paid) {
    expect('payment', order.payment, { status: 'CHARGED', amountCents: EXPECTED_TOTAL, refundedCents: 0 });
    const warehouses = order.shipments.map((shipment) => shipment.warehouse).sort();
    expect('shipment warehouses', warehouses, PRODUCTS.map((product) => product.warehouse).sort());
    expect(
      'tracking numbers present',
      order.shipments.map((shipment) => shipment.trackingNumber !== ''),
      [true, true],
    );
  } else {
    expect('refunded', order.payment.refundedCents, 0);
    expect('shipments', order.shipments, []);
  }
  const versions = order.timeline.map((entry) => entry.version);
  expect(
    'timeline ordered',
    versions.every((version, index) => index === 0 || version > (versions[index - 1] ?? 0)),
    true,
  );
  expect('last timeline version', versions.at(-1), order.version);
  expect('last timeline status', order.timeline.at(-1)?.status, order.status);
  return problems;
}
