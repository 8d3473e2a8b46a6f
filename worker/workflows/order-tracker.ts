/**
 * The order's versioned status: every change bumps the version, appends to the timeline, is announced and written
 * to the order table; a new status is also set as the workflow's OrderStatus search attribute, which operators
 * filter on in Temporal's Web UI and CLI.
 */
import { proxySinks, type Sinks, upsertSearchAttributes } from '@temporalio/workflow';
import type { OrderInput, OrderState, OrderStatus, TimelineStep } from '../../common/order';
import { CUSTOMER_ID_ATTRIBUTE, ORDER_STATUS_ATTRIBUTE } from '../../common/search-attributes';
import type { WorkflowChanges } from './workflow-changes';

export interface StatusSinks extends Sinks {
  orderStatus: {
    /** Called outside history after every change, so an in-process status feed hears of it at once. */
    changed(orderId: string, version: number): void;
  };
}

const { orderStatus } = proxySinks<StatusSinks>();

/** Writes the change to the order table; `statusMoved` says whether the status itself moved. */
export type OnChange = (state: OrderState, statusMoved: boolean) => Promise<void>;

export class OrderTracker {
  readonly state: OrderState;

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

  /** Records a change and waits for the order table to hold it. */
  async record(status: OrderStatus, step: TimelineStep | null, message: string): Promise<void> {
    const statusMoved = status !== this.state.status || this.state.version === 0;
    const at = new Date().toISOString();
    const version = this.state.version + 1;
    Object.assign(this.state, { status, step, version, updatedAt: at });
    this.state.timeline.push({ version, status, step, at, message });
    orderStatus.changed(this.state.orderId, version);
    // Orders started before the workflow set search attributes must replay without these commands.
    if (statusMoved && this.changes.has('order-search-attributes')) {
      upsertSearchAttributes([
        { key: ORDER_STATUS_ATTRIBUTE, value: status },
        { key: CUSTOMER_ID_ATTRIBUTE, value: this.state.customerId },
      ]);
    }
    await this.onChange(this.state, statusMoved);
  }

  /** Records the saga's last change: subscribers stop waiting for more once they see it. */
  async recordLast(status: OrderStatus, step: TimelineStep | null, message: string): Promise<void> {
    this.state.ended = true;
    await this.record(status, step, message);
  }
}
