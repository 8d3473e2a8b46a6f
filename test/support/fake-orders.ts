/** An order source held in memory for the status feed's unit tests: orders change when the test says so. */
import type { OrderState, OrderStatus } from '../../common/order';
import type { OrderSource } from '../../server/order-watcher';

export class FakeOrders implements OrderSource {
  reads = 0;
  /** Set to make every read fail, as when Temporal does not answer. */
  failing: Error | undefined;
  /** While set, reads take the state as of their start and answer only once the gate opens. */
  gate: Promise<void> | undefined;
  /** How long each read takes to answer. */
  latencyMs = 0;
  private readonly orders = new Map<string, OrderState>();
  private readonly closers = new Map<string, () => void>();
  readonly closeWaits: AbortSignal[] = [];

  place(orderId: string): OrderState {
    const order = sampleOrder(orderId);
    this.orders.set(orderId, order);
    return order;
  }

  /** One status change: the version moves and the timeline gains its entry. */
  advance(orderId: string, status: OrderStatus, message = status.toLowerCase()): void {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`order ${orderId} was never placed`);
    const version = order.version + 1;
    const at = new Date(Date.parse(order.updatedAt) + 1_000).toISOString();
    this.orders.set(orderId, {
      ...order,
      status,
      version,
      updatedAt: at,
      timeline: [...order.timeline, { version, status, step: null, at, message }],
    });
  }

  /** The workflow closes: whoever waits for that learns it. */
  close(orderId: string): void {
    this.closers.get(orderId)?.();
  }

  async read(orderId: string): Promise<OrderState | null> {
    this.reads += 1;
    const state = this.orders.get(orderId) ?? null;
    if (this.gate) await this.gate;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failing) throw this.failing;
    return state && structuredClone(state);
  }

  waitUntilClosed(orderId: string, signal: AbortSignal): Promise<void> {
    this.closeWaits.push(signal);
    return new Promise((resolve, reject) => {
      this.closers.set(orderId, resolve);
      signal.addEventListener('abort', () => reject(new Error(`stopped waiting for ${orderId} to close`)));
    });
  }
}

/** An order just placed: VALIDATING at version 1. */
export function sampleOrder(orderId: string): OrderState {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    orderId,
    customerId: 'cust-1',
    status: 'VALIDATING',
    version: 1,
    step: 'validate',
    failure: null,
    items: [{ sku: 'MUG', quantity: 1, name: 'Mug', unitPriceCents: 1500, warehouse: 'eu-west' }],
    totalCents: 1500,
    address: { name: 'Ada', line1: '1 St', city: 'London', postalCode: 'N1', country: 'GB' },
    reservation: { status: 'NONE' },
    payment: { status: 'NONE', method: null, amountCents: 0, refundedCents: 0 },
    shipments: [],
    returnReason: null,
    escalations: [],
    timeline: [{ version: 1, status: 'VALIDATING', step: 'validate', at, message: 'validating' }],
    createdAt: at,
    updatedAt: at,
  };
}
