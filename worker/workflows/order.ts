/**
 * The order saga: validate, audit, reserve, await payment, charge, ship, confirm, then returns.
 * Each step pushes its undo before it runs (a step that timed out may still have taken effect);
 * a failure runs the undos in reverse and the workflow returns the order in a terminal status.
 */
import { allHandlersFinished, CancellationScope, condition, executeChild } from '@temporalio/workflow';
import type { OrderWorkflow } from '../../common/actions';
import { shipmentWorkflowId } from '../../common/ids';
import {
  type OrderFailure,
  type OrderInput,
  type OrderState,
  type OrderStatus,
  orderTotalCents,
  type PricedLine,
  type SagaStep,
  summaryOfState,
} from '../../common/order';
import { orderBoundProblems, orderInputProblems } from '../../common/validation';
import type { NotificationKind } from '../activities/contract';
import { type ActionInbox, openActionInbox } from './action-inbox';
import { findBusinessFailure } from './business-failure';
import { OrderTracker } from './order-tracker';
import {
  type LocalOrderActivities,
  proxyLocalOrderActivities,
  proxyRoutedActivities,
  STEP_ACTIVITY_OPTIONS,
} from './routed-activities';
import { shipmentWorkflow } from './shipment';
import { WorkflowChanges } from './workflow-changes';

type TerminalStatus = Extract<OrderStatus, 'FAILED' | 'CANCELLED' | 'REJECTED'>;

/** Ends the saga early with a terminal status; thrown by the steps, caught once in `orderWorkflow`. */
class OrderStopped extends Error {
  constructor(
    readonly terminal: TerminalStatus,
    readonly failure: OrderFailure,
  ) {
    super(failure.message);
  }
}

interface Undo {
  step: SagaStep;
  /** Returns the line the timeline shows once it is done. */
  run(): Promise<string>;
}

export const orderWorkflow: OrderWorkflow = async function orderWorkflow(input) {
  const saga = new OrderSaga(input);
  await saga.run();
  await condition(allHandlersFinished);
  return saga.order.state;
};

class OrderSaga {
  /** First: asked before the workflow's first command. */
  private readonly changes = new WorkflowChanges();
  readonly order: OrderTracker;
  private readonly inbox: ActionInbox;
  private readonly undos: Undo[] = [];
  /** Regular activities run on other workers, for as long as they take: the order table first holds every change. */
  private readonly activities = callingAfter(proxyRoutedActivities(STEP_ACTIVITY_OPTIONS), () =>
    this.order.writeUnwritten(),
  );
  private readonly local = proxyLocalOrderActivities();
  private step: SagaStep = 'validate';
  private returnWindowClosesAt = 0;

  constructor(private readonly input: OrderInput) {
    this.order = new OrderTracker(input, this.changes, (state, statusMoved) =>
      this.writeOrder(state, statusMoved),
    );
    this.inbox = openActionInbox(this.order);
  }

  private get state(): OrderState {
    return this.order.state;
  }

  private get orderId(): string {
    return this.input.orderId;
  }

  async run(): Promise<void> {
    try {
      await this.validate();
      await this.audit();
      await this.reserve();
      await this.awaitPayment();
      await this.charge();
      await this.ship();
      await this.confirm();
    } catch (error) {
      await this.compensate(this.stopFor(error));
      return;
    }
    await this.offerReturn();
  }

  private async validate(): Promise<void> {
    this.step = 'validate';
    // Orders begun before the bounds were checked here replay with the rules they were validated under. Since
    // 'bounds-before-writes' that is asked before the first change: asked after a local activity in the same task,
    // a patch is missed on replay when the task was cut there (a worker killed while the activity ran).
    const boundsFirst = this.changes.has('bounds-before-writes');
    let checkBounds = boundsFirst && this.changes.has('input-bounds');
    await this.order.record(
      'VALIDATING',
      'validate',
      `order received from customer ${this.input.customerId}`,
    );
    const problems = orderInputProblems(this.input.items, this.input.address);
    if (!boundsFirst) checkBounds = this.changes.has('input-bounds');
    if (checkBounds) problems.push(...orderBoundProblems(this.input));
    if (problems.length > 0) {
      this.fail(
        'INVALID_ORDER',
        problems.map((problem) => `${problem.field.join('.')}: ${problem.message}`).join('; '),
      );
    }
    try {
      await this.price();
    } catch (error) {
      await this.releaseWhatALostTaskReserved();
      throw error;
    }
    // Since the stock work is local, a cancel is taken once the stock is reserved, and its undo releases it: a task
    // lost with its worker may have reserved already, and its re-run, taking the cancel sooner, would leave that.
    if (!this.stockWorkIsLocal) this.stopIfCancelled();
  }

  private async price(): Promise<void> {
    this.state.items = await this.stock.priceOrder(this.orderId, this.input.items);
    const totalCents = orderTotalCents(this.state.items);
    const { orderLimitCents } = this.input.settings;
    // Never recorded over the limit: the order list shows totals as GraphQL Ints, which the limit stays within.
    if (totalCents > orderLimitCents) {
      this.fail('ORDER_LIMIT_EXCEEDED', `total ${totalCents} cents is over the limit of ${orderLimitCents}`);
    }
    this.state.totalCents = totalCents;
  }

  /**
   * A refused order holds no stock. Since the stock work is local, a workflow task lost with its worker after
   * reserving leaves that reservation, and its re-run may be refused at pricing (the catalogue changed in between),
   * before the reservation's undo exists. Releasing is idempotent and takes nothing when nothing was reserved.
   */
  private async releaseWhatALostTaskReserved(): Promise<void> {
    if (!this.stockWorkIsLocal) return;
    await this.escalateOnFailure('undo:reserve', () => this.activities.releaseStock(this.orderId));
  }

  private async audit(): Promise<void> {
    this.step = 'audit';
    const { auditThresholdCents, auditTimeoutMs } = this.input.settings;
    if (!this.input.flagged && this.state.totalCents < auditThresholdCents) return;
    const why = this.input.flagged
      ? 'the order is flagged'
      : `total is at least ${auditThresholdCents} cents`;
    await this.order.record('AWAITING_AUDIT', 'audit', `waiting for a risk audit: ${why}`);
    const decided = await this.waitOutside(() =>
      condition(() => this.inbox.audit !== null || this.inbox.cancel !== null, auditTimeoutMs),
    );
    this.stopIfCancelled();
    if (!decided) {
      throw new OrderStopped('REJECTED', {
        code: 'AUDIT_TIMEOUT',
        step: 'audit',
        message: `no audit decision within ${auditTimeoutMs} ms`,
      });
    }
    const decision = this.inbox.audit;
    if (!decision?.approve) {
      throw new OrderStopped('REJECTED', {
        code: 'AUDIT_REJECTED',
        step: 'audit',
        message: `rejected by audit: ${decision?.reason ?? 'no reason given'}`,
      });
    }
    await this.order.record(
      'AWAITING_AUDIT',
      'audit',
      `approved by audit${decision.reason ? `: ${decision.reason}` : ''}`,
    );
  }

  private async reserve(): Promise<void> {
    this.step = 'reserve';
    await this.order.record('RESERVING', 'reserve', 'reserving stock');
    this.pushUndo('reserve', async () => {
      await this.activities.releaseStock(this.orderId);
      if (this.state.reservation.status === 'RESERVED') this.state.reservation.status = 'RELEASED';
      return 'released the reserved stock';
    });
    await this.stock.reserveStock(this.orderId, this.input.items);
    this.state.reservation.status = 'RESERVED';
    const units = this.input.items.reduce((sum, line) => sum + line.quantity, 0);
    await this.order.record('RESERVING', 'reserve', `reserved ${units} unit(s)`);
    this.stopIfCancelled();
  }

  private async awaitPayment(): Promise<void> {
    this.step = 'payment';
    const { paymentTimeoutMs } = this.input.settings;
    this.state.payment = { ...this.state.payment, status: 'PENDING', amountCents: this.state.totalCents };
    await this.order.record(
      'AWAITING_PAYMENT',
      'payment',
      `waiting for payment of ${this.state.totalCents} cents`,
    );
    const paid = await this.waitOutside(() =>
      condition(() => this.inbox.payment !== null || this.inbox.cancel !== null, paymentTimeoutMs),
    );
    this.stopIfCancelled();
    if (!paid) {
      throw new OrderStopped('CANCELLED', {
        code: 'PAYMENT_TIMEOUT',
        step: 'payment',
        message: `no payment within ${paymentTimeoutMs} ms`,
      });
    }
  }

  private async charge(): Promise<void> {
    const method = this.inbox.payment?.paymentMethod ?? '';
    this.state.payment.method = method;
    await this.order.record('CHARGING', 'payment', `charging ${this.state.totalCents} cents`);
    this.pushUndo('payment', async () => {
      const refunded = await this.activities.refundPayment(this.orderId);
      if (refunded === 0) return 'nothing was charged, nothing to refund';
      this.state.payment.refundedCents = refunded;
      this.state.payment.status = 'REFUNDED';
      return `refunded ${refunded} cents`;
    });
    try {
      await this.activities.chargePayment(this.orderId, this.state.totalCents, method);
    } catch (error) {
      if (findBusinessFailure(error)?.code === 'PAYMENT_DECLINED') this.state.payment.status = 'DECLINED';
      throw error;
    }
    this.state.payment.status = 'CHARGED';
    await this.order.record('CHARGING', 'payment', `charged ${this.state.totalCents} cents`);
  }

  private async ship(): Promise<void> {
    this.step = 'ship';
    const warehouses = linesByWarehouse(this.state.items);
    await this.order.record('SHIPPING', 'ship', `shipping from ${warehouses.size} warehouse(s)`);
    this.pushUndo('ship', async () => {
      const cancelled = await this.activities.cancelShipments(this.orderId, [...warehouses.keys()]);
      for (const shipment of this.state.shipments) shipment.status = 'CANCELLED';
      return cancelled === 0
        ? 'no shipment was booked, none to cancel'
        : `cancelled ${cancelled} shipment(s)`;
    });
    // Every child is waited for, so the undo cannot run while a shipment is still being booked.
    const results = await this.waitOutside(() =>
      Promise.allSettled(
        [...warehouses].map(([warehouse, lines]) =>
          executeChild(shipmentWorkflow, {
            workflowId: shipmentWorkflowId(this.orderId, warehouse),
            args: [{ orderId: this.orderId, warehouse, lines, address: this.input.address }],
          }),
        ),
      ),
    );
    for (const result of results) {
      if (result.status === 'fulfilled') this.state.shipments.push(result.value);
    }
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const tracking = this.state.shipments.map(
      (shipment) => `${shipment.warehouse}: ${shipment.trackingNumber}`,
    );
    await this.order.record('SHIPPING', 'ship', `shipped: ${tracking.join(', ')}`);
  }

  private async confirm(): Promise<void> {
    this.step = 'confirm';
    this.pushUndo('confirm', async () => {
      await this.activities.restockReturn(this.orderId);
      return 'put sold stock back on the shelf';
    });
    const tracking = this.state.shipments.map((shipment) => shipment.trackingNumber).join(', ');
    const confirmation = `Your order ${this.orderId} is on its way. Tracking: ${tracking}`;
    if (this.changes.has('sale-confirmed-in-one-write')) {
      await this.local.confirmSale(this.orderId, this.input.customerId, confirmation);
      this.state.reservation.status = 'SOLD';
    } else {
      await this.stock.commitSale(this.orderId);
      this.state.reservation.status = 'SOLD';
      await this.notify('ORDER_CONFIRMED', confirmation);
    }
    this.undos.length = 0;
    // Opened before the order shows COMPLETED, so a return asked for the moment it does is not refused.
    this.returnWindowClosesAt = Date.now() + this.input.settings.returnWindowMs;
    this.inbox.returnWindowOpen = true;
    await this.order.record('COMPLETED', 'confirm', `confirmation sent with tracking ${tracking}`);
  }

  /** Within the return window a customer may ask for a return; staff approve or reject it. */
  private async offerReturn(): Promise<void> {
    this.step = 'return';
    for (;;) {
      const remaining = this.returnWindowClosesAt - Date.now();
      const requested =
        remaining > 0 &&
        (await this.waitOutside(() => condition(() => this.inbox.returnRequest !== null, remaining)));
      if (!requested) break;
      this.state.returnReason = this.inbox.returnRequest?.reason ?? null;
      await this.order.record('RETURN_REQUESTED', 'return', `return requested: ${this.state.returnReason}`);
      await this.waitOutside(() => condition(() => this.inbox.returnDecision !== null));
      const decision = this.inbox.returnDecision;
      if (decision?.approve) {
        await this.processReturn();
        return;
      }
      this.inbox.returnRequest = null;
      this.inbox.returnDecision = null;
      await this.order.record(
        'COMPLETED',
        'return',
        `return rejected: ${decision?.reason ?? 'no reason given'}`,
      );
    }
    this.inbox.returnWindowOpen = false;
    await this.order.recordLast('COMPLETED', 'return', 'return window closed');
  }

  private async processReturn(): Promise<void> {
    await this.order.record('RETURNING', 'return', 'return approved');
    const trackingNumber = await this.escalateOnFailure('return', () =>
      this.activities.createReturnShipment(this.orderId, this.input.address),
    );
    if (trackingNumber)
      await this.order.record('RETURNING', 'return', `return label ${trackingNumber} issued`);
    const refunded = await this.escalateOnFailure('return', () =>
      this.activities.refundPayment(this.orderId),
    );
    if (refunded !== undefined) {
      Object.assign(this.state.payment, { refundedCents: refunded, status: 'REFUNDED' });
      await this.order.record('RETURNING', 'return', `refunded ${refunded} cents`);
    }
    const restocked = await this.escalateOnFailure('return', () =>
      this.activities.restockReturn(this.orderId),
    );
    if (restocked !== undefined) {
      this.state.reservation.status = 'RESTOCKED';
      await this.order.record('RETURNING', 'return', 'returned units restocked');
    }
    for (const shipment of this.state.shipments) shipment.status = 'RETURNED';
    await this.escalateOnFailure('return', () =>
      this.notify('ORDER_RETURNED', `Order ${this.orderId} returned`),
    );
    await this.order.recordLast('RETURNED', 'return', 'order returned');
  }

  private async compensate(stop: OrderStopped): Promise<void> {
    this.state.failure = stop.failure;
    await CancellationScope.nonCancellable(async () => {
      if (this.undos.length > 0) {
        await this.order.record(
          'COMPENSATING',
          stop.failure.step,
          `${stop.failure.message}; undoing finished steps`,
        );
      }
      for (const undo of this.undos) {
        const line = await this.escalateOnFailure(`undo:${undo.step}`, () => undo.run());
        if (line) await this.order.record('COMPENSATING', `undo:${undo.step}`, line);
      }
      const kind = stop.terminal === 'FAILED' ? 'ORDER_FAILED' : 'ORDER_CANCELLED';
      await this.escalateOnFailure('notify', () => this.notify(kind, stop.failure.message));
      await this.order.recordLast(stop.terminal, stop.failure.step, stop.failure.message);
    });
  }

  /** A step that still fails after its retries is written down for staff, never swallowed silently. */
  private async escalateOnFailure<T>(what: string, action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      const note = `${what} failed for order ${this.orderId}: ${(error as Error).message}; escalated to staff`;
      this.state.escalations.push(note);
      await this.order.record(this.order.status, 'escalate', note);
      return undefined;
    }
  }

  /**
   * Orders begun since the read model exists write their whole state as a local activity (at every change, or since
   * 'order-writes-before-waits' before each wait: `OrderTracker.writeUnwritten`); older ones replay as they ran: the
   * list row alone, as a regular activity, at status changes only.
   */
  private get writesLocally(): boolean {
    return this.changes.has('local-order-writes');
  }

  /**
   * The order's forward stock work (price, reserve, sell): local for orders begun since it became so, on the
   * inventory workers' queue for older ones, which replay as they ran. Its undos and a return's restock stay regular
   * activities on that queue: they run only when something went wrong, and their six hours of waiting out an outage
   * before staff hear of it are kept by the server, on its clock, visible as a pending activity.
   */
  private get stock(): Pick<LocalOrderActivities, 'priceOrder' | 'reserveStock' | 'commitSale'> {
    return this.stockWorkIsLocal ? this.local : this.activities;
  }

  private get stockWorkIsLocal(): boolean {
    return this.changes.has('local-stock-work');
  }

  private async writeOrder(state: OrderState, statusMoved: boolean): Promise<void> {
    const local = this.writesLocally;
    if (!local && !statusMoved) return;
    try {
      if (local) await this.local.recordOrderSnapshot(state);
      else await this.activities.recordOrderSummary(summaryOfState(state));
    } catch (error) {
      state.escalations.push(`order list not updated to ${state.status}: ${(error as Error).message}`);
    }
  }

  /** Waits for a person, a timer or a child: the order table first holds every change. */
  private async waitOutside<T>(wait: () => Promise<T>): Promise<T> {
    await this.order.writeUnwritten();
    return wait();
  }

  private notify(kind: NotificationKind, message: string): Promise<void> {
    const send = this.writesLocally ? this.local.sendNotification : this.activities.sendNotification;
    return send(this.orderId, this.input.customerId, kind, message);
  }

  private pushUndo(step: SagaStep, run: () => Promise<string>): void {
    this.undos.unshift({ step, run });
  }

  private fail(code: OrderFailure['code'], message: string): never {
    throw new OrderStopped('FAILED', { code, step: this.step, message });
  }

  private stopIfCancelled(): void {
    const cancel = this.inbox.cancel;
    if (cancel) {
      throw new OrderStopped('CANCELLED', {
        code: 'CANCELLED_BY_CUSTOMER',
        step: this.step,
        message: cancel.reason ?? 'cancelled by the customer',
      });
    }
  }

  /** The order's own failure need not repeat its id: the activity's message carries it for the logs. */
  private withoutOrderId(message: string): string {
    const prefix = `order ${this.orderId}: `;
    return message.startsWith(prefix) ? message.slice(prefix.length) : message;
  }

  private stopFor(error: unknown): OrderStopped {
    if (error instanceof OrderStopped) return error;
    const business = findBusinessFailure(error);
    const failure: OrderFailure = business
      ? { code: business.code, step: this.step, message: this.withoutOrderId(business.message) }
      : { code: 'INTERNAL', step: this.step, message: `${this.step} failed: ${(error as Error).message}` };
    return new OrderStopped('FAILED', failure);
  }
}

/** The same activities, each called once `first` has resolved. */
function callingAfter<T extends object>(activities: T, first: () => Promise<void>): T {
  const calls = Object.entries(activities) as [string, (...args: unknown[]) => Promise<unknown>][];
  return Object.fromEntries(
    calls.map(([name, call]) => [
      name,
      async (...args: unknown[]) => {
        await first();
        return call(...args);
      },
    ]),
  ) as T;
}

function linesByWarehouse(lines: readonly PricedLine[]): Map<string, PricedLine[]> {
  const groups = new Map<string, PricedLine[]>();
  for (const line of lines) groups.set(line.warehouse, [...(groups.get(line.warehouse) ?? []), line]);
  return groups;
}
