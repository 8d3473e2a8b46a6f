/**
 * The ways the saga benchmark runs an order: the real saga through the real API, and the bare saga of the same
 * shape on a worker of its own. Each places an order (answered once it awaits payment) and pays it (answered once it
 * is COMPLETED), and after a round checks, outside the timing, that every order completed and was paid once.
 */
import type { Client } from '@temporalio/client';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { shipmentWorkflowId } from '../common/ids';
import { FINAL_STATUSES, type OrderStatus } from '../common/order';
import { type BareSagaInput, barePayUpdate, bareSaga } from './bare-saga/workflows';
import { type EmbeddedStack, graphql } from './embedded-stack';

export interface PlacedOrder {
  id: string;
  /** Its version once it awaits payment. */
  version: number;
}

export interface SagaVariant {
  label: string;
  /** The process that runs its workflows (and, for the real saga, the API). */
  workerPid: number;
  /** Resolves once the order awaits payment. */
  place(): Promise<PlacedOrder>;
  /** Pays once; resolves once the order is COMPLETED. */
  pay(order: PlacedOrder): Promise<void>;
  /** After a round: every order completed and was paid once, or an error naming the order. */
  verify(orders: readonly PlacedOrder[]): Promise<void>;
  /** The workflow ids of one order: its own and its shipments'. */
  executions(order: PlacedOrder): string[];
  close(): Promise<void>;
}

/** Calls `job` for each index below `count`, `concurrency` at once. */
export async function inFlight(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) await job(index);
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, lane));
}

/** Rejects with `message` after `ms`, unless `settle` is called first. */
function deadline(ms: number, message: string): { expired: Promise<never>; settle(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  expired.catch(() => undefined);
  return { expired, settle: () => clearTimeout(timer) };
}

// ---- the real saga, through the API ------------------------------------------------------------------------------

const ORDER_FIELDS = 'order { id status version payment { status } } userErrors { code message }';
const PLACE = `mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const PAY = `mutation Pay($input: PayOrderInput!) { payOrder(input: $input) { ${ORDER_FIELDS} } }`;
const TRACK = `subscription Track($id: ID!, $since: Int) {
  orderStatus(id: $id, sinceVersion: $since) { status version }
}`;
const READ = 'query Read($id: ID!) { order(id: $id) { id status version payment { status } } }';
const STOCK = 'query Stock { products { sku available reserved sold } }';
const SEED = `mutation Seed($input: UpsertProductInput!) {
  upsertProduct(input: $input) { product { sku } userErrors { code message } }
}`;
/** What placeOrder may answer before the order awaits payment, when it waited as long as it does. */
const SETTLING: readonly OrderStatus[] = ['VALIDATING', 'RESERVING'];
const ADDRESS = {
  name: 'Bench Customer',
  line1: '1 Bench Street',
  city: 'Oslo',
  postalCode: '0150',
  country: 'NO',
};

interface ApiOrder {
  id: string;
  status: OrderStatus;
  version: number;
  payment: { status: string };
}
interface Outcome {
  order: ApiOrder | null;
  userErrors: { code: string; message: string }[];
}

function orderOf(outcome: Outcome, what: string, orderId = 'new order'): ApiOrder {
  const [error] = outcome.userErrors;
  if (error || !outcome.order) {
    throw new Error(`${what} ${orderId}: ${error ? `${error.code}: ${error.message}` : 'no order answered'}`);
  }
  return outcome.order;
}

export interface ApiSagaOptions {
  stack: EmbeddedStack;
  sku: string;
  warehouse: string;
  /** Units in stock, exactly the orders the run will place: the check at the end expects them all sold. */
  stock: number;
  orderDeadlineMs: number;
}

/** Places and pays as a customer with a bearer token, and hears of COMPLETED from the order's status stream. */
export async function apiSaga(options: ApiSagaOptions): Promise<SagaVariant> {
  const { stack, sku, warehouse, orderDeadlineMs } = options;
  const [admin, customer] = await Promise.all([stack.token('admin'), stack.token('customer', 'bench')]);
  const seeded = await graphql<{ upsertProduct: { userErrors: { code: string; message: string }[] } }>(
    stack.url,
    admin,
    SEED,
    {
      input: {
        sku,
        name: 'Bench mug',
        priceCents: 1_500,
        stock: options.stock,
        discontinued: false,
        warehouse,
      },
    },
  );
  if (seeded.upsertProduct.userErrors.length > 0) {
    throw new Error(`seeding ${sku}: ${JSON.stringify(seeded.upsertProduct.userErrors)}`);
  }
  const statusStream = createClient({
    url: `${stack.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${customer}` },
    // One connection for the whole run, kept open between rounds.
    lazyCloseTimeout: 3_600_000,
  });
  const payments = new Map<string, number>();
  let completedOrders = 0;

  /** Resolves with the version at which the order's stream shows `wanted`; it replays every change after `since`. */
  const untilStatus = (orderId: string, since: number, wanted: OrderStatus): Promise<number> => {
    const timeout = deadline(orderDeadlineMs, `order ${orderId}: not ${wanted} within ${orderDeadlineMs} ms`);
    let unsubscribe: () => void = () => undefined;
    const reached = new Promise<number>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`order ${orderId}: ${why}`));
      unsubscribe = statusStream.subscribe<{ orderStatus: { status: OrderStatus; version: number } }>(
        { query: TRACK, variables: { id: orderId, since } },
        {
          next: ({ data, errors }) => {
            const event = data?.orderStatus;
            if (errors || !event) fail(`status stream failed: ${JSON.stringify(errors)}`);
            else if (event.status === wanted) resolve(event.version);
            else if (FINAL_STATUSES.includes(event.status)) fail(`ended ${event.status}`);
          },
          error: (error) =>
            fail(`status stream failed: ${error instanceof Error ? error.message : 'closed'}`),
          complete: () => fail(`status stream ended before ${wanted}`),
        },
      );
    });
    const done = Promise.race([reached, timeout.expired]).finally(() => {
      timeout.settle();
      unsubscribe();
    });
    done.catch(() => undefined);
    return done;
  };

  return {
    label: 'saga through the API',
    workerPid: stack.apiPid,
    async place() {
      const answer = await graphql<{ placeOrder: Outcome }>(stack.url, customer, PLACE, {
        input: { items: [{ sku, quantity: 1 }], address: ADDRESS },
      });
      const order = orderOf(answer.placeOrder, 'place');
      if (order.status === 'AWAITING_PAYMENT') return { id: order.id, version: order.version };
      // placeOrder answers an order still settling after 10 s (a loaded machine): it is placed all the same.
      if (!SETTLING.includes(order.status)) {
        throw new Error(`place ${order.id}: answered ${order.status}, not AWAITING_PAYMENT`);
      }
      return { id: order.id, version: await untilStatus(order.id, order.version, 'AWAITING_PAYMENT') };
    },
    async pay({ id, version }) {
      const completed = untilStatus(id, version, 'COMPLETED');
      payments.set(id, (payments.get(id) ?? 0) + 1);
      const answer = await graphql<{ payOrder: Outcome }>(stack.url, customer, PAY, {
        input: { orderId: id, paymentMethod: 'tok_visa' },
      });
      const order = orderOf(answer.payOrder, 'pay', id);
      if (order.payment.status !== 'CHARGED') throw new Error(`pay ${id}: payment ${order.payment.status}`);
      await completed;
      completedOrders += 1;
    },
    async verify(orders) {
      await inFlight(orders.length, 8, async (index) => {
        const { id } = orders[index] as PlacedOrder;
        const { order } = await graphql<{ order: ApiOrder | null }>(stack.url, customer, READ, { id });
        if (order?.status !== 'COMPLETED' || order.payment.status !== 'CHARGED') {
          throw new Error(`order ${id}: ${order?.status ?? 'not found'}, payment ${order?.payment.status}`);
        }
        if (payments.get(id) !== 1) throw new Error(`order ${id}: paid ${payments.get(id) ?? 0} times`);
      });
      // Each order sold its one unit once: no sale twice, none left reserved.
      const { products } = await graphql<{ products: { sku: string; reserved: number; sold: number }[] }>(
        stack.url,
        admin,
        STOCK,
      );
      const product = products.find((candidate) => candidate.sku === sku);
      if (product?.sold !== completedOrders || product.reserved !== 0) {
        throw new Error(
          `${sku}: ${product?.sold} sold and ${product?.reserved} reserved after ${completedOrders} orders completed`,
        );
      }
    },
    executions: ({ id }) => [id, shipmentWorkflowId(id, warehouse)],
    close: async () => {
      await statusStream.dispose();
    },
  };
}

// ---- the bare saga -------------------------------------------------------------------------------------------------

/** Versions the bare workers report, awaited by workflow id; a report may arrive before anyone waits for it. */
export class Milestones {
  private readonly early = new Set<string>();
  private readonly waiting = new Map<string, () => void>();

  reached(workflowId: string, version: number): void {
    const key = `${workflowId}@${version}`;
    const wake = this.waiting.get(key);
    if (wake) wake();
    else this.early.add(key);
  }

  expect(workflowId: string, version: number, ms: number, what: string): Promise<void> {
    const key = `${workflowId}@${version}`;
    if (this.early.delete(key)) return Promise.resolve();
    const timeout = deadline(ms, `bare order ${workflowId}: not ${what} within ${ms} ms`);
    const reached = new Promise<void>((resolve) => this.waiting.set(key, resolve));
    const done = Promise.race([reached, timeout.expired]).finally(() => {
      timeout.settle();
      this.waiting.delete(key);
    });
    done.catch(() => undefined);
    return done;
  }
}

export interface BareSagaOptions {
  label: string;
  client: Client;
  workerPid: number;
  taskQueue: string;
  input: BareSagaInput;
  milestones: Milestones;
  /** The versions at which the shape awaits payment and shows COMPLETED. */
  versions: { awaiting: number; completed: number };
  orderDeadlineMs: number;
}

/** Starts and pays from this process's Temporal client; the worker reports the versions reached. */
export function bareSagaVariant(options: BareSagaOptions): SagaVariant {
  const { client, taskQueue, input, milestones, versions, orderDeadlineMs } = options;
  const completed = new Set<string>();
  let placed = 0;
  return {
    label: options.label,
    workerPid: options.workerPid,
    async place() {
      const id = `${taskQueue}-${++placed}`;
      const awaiting = milestones.expect(id, versions.awaiting, orderDeadlineMs, 'awaiting payment');
      await client.workflow.start(bareSaga, { workflowId: id, taskQueue, args: [input] });
      await awaiting;
      return { id, version: versions.awaiting };
    },
    async pay({ id }) {
      const done = milestones.expect(id, versions.completed, orderDeadlineMs, 'COMPLETED');
      const payments = await client.workflow
        .getHandle(id)
        .executeUpdate(barePayUpdate, { args: ['tok_visa'] });
      if (payments !== 1) throw new Error(`bare order ${id}: ${payments} payments`);
      await done;
      completed.add(id);
    },
    async verify(orders) {
      const missing = orders.filter(({ id }) => !completed.has(id));
      if (missing.length > 0)
        throw new Error(`bare orders not COMPLETED: ${missing.map(({ id }) => id).join(', ')}`);
    },
    executions: ({ id }) => [id, ...input.warehouses.map((warehouse) => shipmentWorkflowId(id, warehouse))],
    close: async () => undefined,
  };
}
