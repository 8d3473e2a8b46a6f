/**
 * A mix of orders for the fault suites (paid, paid after the provider's transient errors, declined, undeliverable,
 * cancelled), driven through the API as a patient client does: a request that got no answer, or was told to try
 * later, is sent again with the same order id and request id, so it acts once.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { OrderLine, OrderStatus } from '../../common/order';
import { type GraphQLResponse, post } from './graphql-client';
import { readLedger, type Shelf } from './ledger';

export type Plan = 'pay' | 'flaky' | 'declined' | 'undeliverable' | 'cancel';
const PLANS: readonly Plan[] = ['pay', 'flaky', 'declined', 'undeliverable', 'cancel'];

/** How each plan ends, whatever faults it met on the way. */
export const EXPECTED_END: Record<Plan, { status: OrderStatus; failureCode: string | null }> = {
  pay: { status: 'COMPLETED', failureCode: null },
  // tok_flaky fails its first two attempts; an attempt lost to our own fault only brings the paying one sooner.
  flaky: { status: 'COMPLETED', failureCode: null },
  declined: { status: 'FAILED', failureCode: 'PAYMENT_DECLINED' },
  undeliverable: { status: 'FAILED', failureCode: 'UNDELIVERABLE' },
  cancel: { status: 'CANCELLED', failureCode: 'CANCELLED_BY_CUSTOMER' },
};

const PAYMENT_METHODS: Record<Exclude<Plan, 'cancel'>, string> = {
  pay: 'tok_visa',
  flaky: 'tok_flaky',
  declined: 'tok_chargeDeclined',
  undeliverable: 'tok_visa',
};

export interface PlannedOrder {
  orderId: string;
  plan: Plan;
  items: OrderLine[];
}

/** mulberry32: a small seeded generator, so a run's random choices can be made again from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `FAULT_SEED` replays a run; otherwise a fresh seed, printed so that a failure can be replayed. */
export function faultSeed(suite: string): number {
  const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : Date.now() % 2_147_483_647;
  console.log(`${suite}: seed ${seed} (FAULT_SEED=${seed} replays it)`);
  return seed;
}

/** `count` orders cycling through every plan, each with 1-3 mugs and 0-2 lamps (two warehouses). */
export function planOrders(
  prefix: string,
  count: number,
  shelf: Shelf,
  random: () => number,
): PlannedOrder[] {
  return Array.from({ length: count }, (_, index) => {
    const lamps = Math.floor(random() * 3);
    const items = [{ sku: shelf.mug, quantity: 1 + Math.floor(random() * 3) }];
    if (lamps > 0) items.push({ sku: shelf.lamp, quantity: lamps });
    return { orderId: `${prefix}-${index}`, plan: PLANS[index % PLANS.length] as Plan, items };
  });
}

interface Payload {
  order: { id: string; status: OrderStatus } | null;
  userErrors: { code: string; message: string }[];
}

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id status } userErrors { code message } } }`;
const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) {
  order { id status } userErrors { code message } } }`;
const CANCEL = `mutation($input: CancelOrderInput!) { cancelOrder(input: $input) {
  order { id status } userErrors { code message } } }`;

/** Answers that mean "not yet": the API or a dependency was down, or the workflow did not act in time. */
const TRY_AGAIN = ['ACTION_PENDING', 'TEMPORARILY_UNAVAILABLE'];

/** Sends one mutation until it is answered for good; returns that answer. */
async function sendUntilAnswered(
  url: () => string,
  query: string,
  input: Record<string, unknown>,
  answered: (payload: Payload) => boolean,
  deadline: number,
): Promise<Payload> {
  let last = 'nothing';
  while (Date.now() < deadline) {
    const response: GraphQLResponse<Record<string, Payload>> | undefined = await post<
      Record<string, Payload>
    >(url(), query, { input }).catch(() => undefined);
    const payload = response && Object.values(response.body.data ?? {})[0];
    if (payload && answered(payload) && !payload.userErrors.some((error) => TRY_AGAIN.includes(error.code)))
      return payload;
    last = response ? response.text.slice(0, 300) : 'no answer';
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`order ${input.orderId}: ${query.slice(9, 30)} not answered in time; last answer: ${last}`);
}

const settledStatus = (payload: Payload) =>
  payload.order !== null && !['VALIDATING', 'RESERVING'].includes(payload.order.status);

/** Places the order, waits until it awaits payment, then pays or cancels it as planned. */
export async function driveOrder(url: () => string, order: PlannedOrder, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await placeOrder(url, order, deadline);
  await actOnOrder(url, order, deadline);
}

/** Places the order; resolves once it awaits payment. */
export async function placeOrder(url: () => string, order: PlannedOrder, deadline: number): Promise<void> {
  const placed = await sendUntilAnswered(
    url,
    PLACE,
    {
      orderId: order.orderId,
      customerId: 'fault-suite',
      items: order.items,
      address: {
        name: 'Fault Suite',
        line1: '1 Chaos Road',
        city: 'Lyon',
        postalCode: order.plan === 'undeliverable' ? '00000' : '69001',
        country: 'FR',
      },
    },
    settledStatus,
    deadline,
  );
  if (placed.order?.status !== 'AWAITING_PAYMENT') {
    throw new Error(`order ${order.orderId} was placed as ${placed.order?.status}, not AWAITING_PAYMENT`);
  }
}

/** Pays or cancels an order that awaits payment, as its plan says. */
export async function actOnOrder(url: () => string, order: PlannedOrder, deadline: number): Promise<void> {
  const requestId = `${order.orderId}-${order.plan}`;
  if (order.plan === 'cancel') {
    await sendUntilAnswered(url, CANCEL, { orderId: order.orderId, requestId }, settledStatus, deadline);
  } else {
    const paymentMethod = PAYMENT_METHODS[order.plan];
    await sendUntilAnswered(
      url,
      PAY,
      { orderId: order.orderId, paymentMethod, requestId },
      settledStatus,
      deadline,
    );
  }
}

export interface SettledOrder {
  id: string;
  status: OrderStatus;
  version: number;
  totalCents: number;
  failure: { code: string } | null;
  escalations: string[];
  items: { sku: string; quantity: number; warehouse: string }[];
  timeline: { version: number }[];
}

const READ = `query($id: ID!) { order(id: $id) { id status version totalCents failure { code } escalations
  items { sku quantity warehouse } timeline { version } } }`;
const ENDS: readonly OrderStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'REJECTED'];

/** Reads every order until each has ended (completed, failed, cancelled or rejected); throws naming the others. */
export async function awaitSettled(
  url: string,
  orders: readonly PlannedOrder[],
  timeoutMs: number,
): Promise<Map<string, SettledOrder>> {
  const deadline = Date.now() + timeoutMs;
  const settled = new Map<string, SettledOrder>();
  for (;;) {
    const open = orders.filter((order) => !settled.has(order.orderId));
    const reads = await Promise.all(
      open.map((order) =>
        post<{ order: SettledOrder | null }>(url, READ, { id: order.orderId }).catch(() => undefined),
      ),
    );
    const stillOpen: string[] = [];
    reads.forEach((read, index) => {
      const order = read?.body.data?.order;
      const orderId = open[index]?.orderId ?? '';
      if (order && ENDS.includes(order.status)) settled.set(orderId, order);
      else stillOpen.push(`${orderId}: ${order?.status ?? read?.text.slice(0, 120) ?? 'no answer'}`);
    });
    if (stillOpen.length === 0) return settled;
    if (Date.now() > deadline) throw new Error(`orders not settled in time:\n${stillOpen.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * What is wrong once every order has settled, as sentences (an empty list when all is well): each order ended as
 * its plan says, with no escalation and its timeline 1..n; charged once, and only if completed (undeliverable ones
 * refunded); shipped once per warehouse, and only if completed; its stock sold if completed, released otherwise;
 * no notification twice; and per SKU available + reserved + sold = what the shelf began with, nothing left reserved.
 */
export async function settlementProblems(
  orm: MikroORM,
  shelf: Shelf,
  initialStock: { mugs: number; lamps: number },
  orders: readonly PlannedOrder[],
  settled: ReadonlyMap<string, SettledOrder>,
): Promise<string[]> {
  const problems: string[] = [];
  const ids = orders.map((order) => order.orderId);
  const rowsOf = async <Row extends { order_id: string }>(sql: string) => {
    const rows = (await orm.em.getConnection().execute(sql, ids)) as Row[];
    return (orderId: string) => rows.filter((row) => row.order_id === orderId);
  };
  const marks = ids.map(() => '?').join(', ');
  const payments = await rowsOf<{
    order_id: string;
    amount_cents: number;
    refunded_cents: number;
    status: string;
  }>(`select order_id, amount_cents, refunded_cents, status from payment where order_id in (${marks})`);
  const shipments = await rowsOf<{ order_id: string; warehouse: string; status: string }>(
    `select order_id, warehouse, status from shipment where kind = 'OUTBOUND' and order_id in (${marks})`,
  );
  const lines = await rowsOf<{ order_id: string; sku: string; quantity: number; status: string }>(
    `select order_id, sku, quantity, status from reservation_line where order_id in (${marks})`,
  );
  const messages = await rowsOf<{ order_id: string; kind: string }>(
    `select order_id, kind from outbox_message where order_id in (${marks})`,
  );
  const sold: Record<string, number> = { [shelf.mug]: 0, [shelf.lamp]: 0 };

  for (const planned of orders) {
    const id = planned.orderId;
    const order = settled.get(id);
    const expected = EXPECTED_END[planned.plan];
    if (!order) {
      problems.push(`${id}: never settled`);
      continue;
    }
    const ended = `${order.status}${order.failure ? `:${order.failure.code}` : ''}`;
    const wanted = `${expected.status}${expected.failureCode ? `:${expected.failureCode}` : ''}`;
    if (ended !== wanted) problems.push(`${id} (${planned.plan}): ended ${ended}, expected ${wanted}`);
    if (order.escalations.length > 0) problems.push(`${id}: escalated ${JSON.stringify(order.escalations)}`);
    const versions = order.timeline.map((entry) => entry.version);
    if (versions.join() !== Array.from({ length: order.version }, (_, index) => index + 1).join()) {
      problems.push(`${id}: timeline versions ${versions.join()} for version ${order.version}`);
    }
    const completed = order.status === 'COMPLETED';

    const charges = payments(id).map((row) => ({
      amount: Number(row.amount_cents),
      refunded: Number(row.refunded_cents),
      status: row.status,
    }));
    const wantedCharges = completed
      ? [{ amount: order.totalCents, refunded: 0, status: 'CHARGED' }]
      : planned.plan === 'undeliverable'
        ? [{ amount: order.totalCents, refunded: order.totalCents, status: 'REFUNDED' }]
        : [];
    if (JSON.stringify(charges) !== JSON.stringify(wantedCharges)) {
      problems.push(
        `${id} (${ended}): charges ${JSON.stringify(charges)}, expected ${JSON.stringify(wantedCharges)}`,
      );
    }

    const booked = shipments(id)
      .filter((row) => row.status === 'CREATED')
      .map((row) => row.warehouse)
      .sort();
    const warehouses = completed ? [...new Set(order.items.map((item) => item.warehouse))].sort() : [];
    if (booked.join() !== warehouses.join()) {
      problems.push(`${id} (${ended}): shipments booked in [${booked}], expected [${warehouses}]`);
    }

    const lineStatus = completed ? 'SOLD' : 'RELEASED';
    const reserved = lines(id)
      .map((row) => `${row.sku}x${Number(row.quantity)}:${row.status}`)
      .sort();
    const wantedLines = planned.items.map((item) => `${item.sku}x${item.quantity}:${lineStatus}`).sort();
    if (reserved.join() !== wantedLines.join()) {
      problems.push(`${id} (${ended}): reservation lines [${reserved}], expected [${wantedLines}]`);
    }
    if (completed) for (const item of planned.items) sold[item.sku] = (sold[item.sku] ?? 0) + item.quantity;

    const kinds = messages(id).map((row) => row.kind);
    if (new Set(kinds).size !== kinds.length) problems.push(`${id}: a notification sent twice: ${kinds}`);
  }

  const stock = (await readLedger(orm, '', shelf)).stock;
  const initial: Record<string, number> = {
    [shelf.mug]: initialStock.mugs,
    [shelf.lamp]: initialStock.lamps,
  };
  for (const sku of [shelf.mug, shelf.lamp]) {
    const row = stock[sku];
    const wanted = { available: (initial[sku] ?? 0) - (sold[sku] ?? 0), reserved: 0, sold: sold[sku] ?? 0 };
    if (JSON.stringify(row) !== JSON.stringify(wanted)) {
      problems.push(`${sku}: stock ${JSON.stringify(row)}, expected ${JSON.stringify(wanted)}`);
    }
  }
  return problems;
}
