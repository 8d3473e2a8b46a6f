/**
 * Orders held in memory for the status feed's unit tests: the workflows (read by query), the order table the
 * workflows write (its change log and its snapshots), and Temporal's list of closed workflows. Orders change when the test says so.
 */
import type { OrderState, OrderStatus } from '../../common/order';
import type { ChangeCursor, OrderChange } from '../../database/order-changes';
import type { OrderChangeSource } from '../../server/change-detector';
import type { OrderSource } from '../../server/order-watcher';
import type { ClosedOrders, StoredOrders } from '../../server/status-feed';

export class FakeOrders implements OrderSource, OrderChangeSource, ClosedOrders, StoredOrders {
  /** Workflow queries so far. */
  reads = 0;
  /** Reads of the change log so far (ticks and sweeps). */
  logReads = 0;
  /** Set to make every read fail, as when Temporal does not answer. */
  failing: Error | undefined;
  /** While set, reads take the state as of their start and answer only once the gate opens. */
  gate: Promise<void> | undefined;
  /** While set, reads of the table's snapshots answer only once it resolves. */
  storedGate: Promise<void> | undefined;
  /** How long each read takes to answer. */
  latencyMs = 0;
  private readonly orders = new Map<string, OrderState>();
  private readonly rows = new Map<string, OrderChange>();
  private readonly snapshots = new Map<string, OrderState>();
  /** While set, the table's writes wait here: the workflow is ahead of its row, as within a workflow task. */
  private heldRows: (() => void)[] | undefined;
  private readonly closedAt = new Map<string, number>();
  private lastStamp = 0;

  place(orderId: string): OrderState {
    const order = sampleOrder(orderId);
    this.orders.set(orderId, order);
    this.write(order, 0);
    return order;
  }

  /**
   * One status change: the version moves, the timeline gains its entry and the table's row is written. With
   * `stampedMsEarlier`, the row carries a time that far in the past, as a commit that lands that long after
   * the database stamped it.
   */
  advance(orderId: string, status: OrderStatus, message = status.toLowerCase(), stampedMsEarlier = 0): void {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`order ${orderId} was never placed`);
    const version = order.version + 1;
    const at = new Date(Date.parse(order.updatedAt) + 1_000).toISOString();
    const next: OrderState = {
      ...order,
      status,
      version,
      updatedAt: at,
      timeline: [...order.timeline, { version, status, step: null, at, message }],
    };
    this.orders.set(orderId, next);
    this.write(next, stampedMsEarlier);
  }

  /** The saga's last change: the order moves once more and is marked ended. */
  end(orderId: string, status: OrderStatus): void {
    this.advance(orderId, status);
    const order = this.orders.get(orderId);
    if (order) order.ended = true;
  }

  /** The workflow closes without a last change of its saga (terminated): Temporal's list shows it closed. */
  close(orderId: string): void {
    this.closedAt.set(orderId, Date.now());
  }

  async read(orderId: string): Promise<OrderState | null> {
    this.reads += 1;
    const state = this.orders.get(orderId) ?? null;
    if (this.gate) await this.gate;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failing) throw this.failing;
    return state && structuredClone(state);
  }

  async latestChange(): Promise<number> {
    this.logReads += 1;
    return Math.max(0, ...[...this.rows.values()].map((row) => row.changedAt));
  }

  async changedSince(from: ChangeCursor, limit: number): Promise<OrderChange[]> {
    this.logReads += 1;
    return [...this.rows.values()]
      .filter(
        (row) =>
          row.changedAt > from.changedAt || (row.changedAt === from.changedAt && row.orderId > from.orderId),
      )
      .sort((a, b) => a.changedAt - b.changedAt || (a.orderId < b.orderId ? -1 : 1))
      .slice(0, limit)
      .map((row) => ({ ...row }));
  }

  /** Holds the table's writes until `releaseRows`. */
  holdRows(): void {
    this.heldRows ??= [];
  }

  releaseRows(): void {
    const held = this.heldRows ?? [];
    this.heldRows = undefined;
    for (const write of held) write();
  }

  async stored(orderId: string): Promise<OrderState | null> {
    if (this.storedGate) await this.storedGate;
    const snapshot = this.snapshots.get(orderId);
    return snapshot ? structuredClone(snapshot) : null;
  }

  async versionsOf(orderIds: readonly string[]): Promise<Map<string, number>> {
    this.logReads += 1;
    return new Map(
      orderIds.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)?.version ?? 0]] : [])),
    );
  }

  async closedSince(sinceMs: number): Promise<string[]> {
    return [...this.closedAt].filter(([, at]) => at >= sinceMs).map(([orderId]) => orderId);
  }

  /** Stamps strictly increase, like the database clock at millisecond grain with ties broken by id. */
  private write(order: OrderState, stampedMsEarlier: number): void {
    if (this.heldRows) {
      this.heldRows.push(() => this.write(order, stampedMsEarlier));
      return;
    }
    this.lastStamp = Math.max(this.lastStamp + 1, Date.now());
    const changedAt = this.lastStamp - stampedMsEarlier;
    this.rows.set(order.orderId, { orderId: order.orderId, version: order.version, changedAt });
    this.snapshots.set(order.orderId, order);
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
