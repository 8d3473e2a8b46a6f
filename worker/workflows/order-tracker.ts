/**
 * The order's versioned status: every change bumps the version, appends to the timeline and is written to the
 * order table; a status the order rests in is also set as the workflow's OrderStatus search attribute, which
 * operators filter on in Temporal's Web UI and CLI. Since 'order-writes-before-waits' the changes of one stretch of
 * the saga are written together, before it waits on anything outside its workflow task (see `writeUnwritten`).
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  FINAL_STATUSES,
  type OrderInput,
  type OrderState,
  type OrderStatus,
  type TimelineStep,
} from '../../common/order';
import { CUSTOMER_ID_ATTRIBUTE, ORDER_STATUS_ATTRIBUTE } from '../../common/search-attributes';
import type { WorkflowChanges } from './workflow-changes';

/**
 * Where an order rests: it waits for a person or for its return window, or it has ended. Operators list orders by
 * these; the steps between last seconds, and setting each would cost every order four more visibility writes (an
 * upsert event each) for a value stale before anyone could list it. The order table holds every status exactly.
 */
const RESTING_STATUSES: readonly OrderStatus[] = [
  'AWAITING_AUDIT',
  'AWAITING_PAYMENT',
  'COMPLETED',
  'RETURN_REQUESTED',
  ...FINAL_STATUSES,
];

/** Writes the change to the order table; `statusMoved` says whether the status itself moved. */
export type OnChange = (state: OrderState, statusMoved: boolean) => Promise<void>;

export class OrderTracker {
  readonly state: OrderState;
  /** A change the order table does not hold yet. */
  private unwritten = false;

  constructor(
    input: OrderInput,
    private readonly changes: WorkflowChanges,
    private readonly onChange: OnChange,
  ) {
    const now = new Date().toISOString();
    this.state = {
      orderId: input.orderId,
      customerId: input.customerId,
      status: 'VALIDATING',
      version: 0,
      step: null,
      failure: null,
      items: [],
      totalCents: 0,
      address: input.address,
      reservation: { status: 'NONE' },
      payment: { status: 'NONE', method: null, amountCents: 0, refundedCents: 0 },
      shipments: [],
      returnReason: null,
      escalations: [],
      timeline: [],
      createdAt: now,
      updatedAt: now,
    };
  }

  get status(): OrderStatus {
    return this.state.status;
  }

  /** Records a change; orders begun before 'order-writes-before-waits' also wait for the order table to hold it. */
  async record(status: OrderStatus, step: TimelineStep | null, message: string): Promise<void> {
    const statusMoved = status !== this.state.status || this.state.version === 0;
    const at = new Date().toISOString();
    const version = this.state.version + 1;
    Object.assign(this.state, { status, step, version, updatedAt: at });
    this.state.timeline.push({ version, status, step, at, message });
    if (statusMoved && this.setsStatusAttribute(status)) {
      upsertSearchAttributes([
        { key: ORDER_STATUS_ATTRIBUTE, value: status },
        { key: CUSTOMER_ID_ATTRIBUTE, value: this.state.customerId },
      ]);
    }
    if (this.changes.has('order-writes-before-waits')) this.unwritten = true;
    else await this.onChange(this.state, statusMoved);
  }

  /**
   * Writes the changes the order table does not hold yet, in one write. The saga calls it before it waits for a
   * person, a timer, another worker's activity or a child, and its last change is written at once: the changes in
   * between come one after another within a workflow task, and a reader who saw each would see it for milliseconds.
   */
  async writeUnwritten(): Promise<void> {
    if (!this.unwritten) return;
    this.unwritten = false;
    await this.onChange(this.state, true);
  }

  /** Orders begun before search attributes replay without them; before 'status-attribute-at-rest', at every move. */
  private setsStatusAttribute(status: OrderStatus): boolean {
    if (!this.changes.has('order-search-attributes')) return false;
    return RESTING_STATUSES.includes(status) || !this.changes.has('status-attribute-at-rest');
  }

  /**
   * Records the saga's last change, and writes it at once: subscribers stop waiting for more once they see it, and a
   * compensation writes it within its own non-cancellable scope.
   */
  async recordLast(status: OrderStatus, step: TimelineStep | null, message: string): Promise<void> {
    this.state.ended = true;
    await this.record(status, step, message);
    await this.writeUnwritten();
  }
}
