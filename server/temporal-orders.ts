/**
 * The orders as the API drives them through Temporal: start a workflow per order, send actions as updates
 * (the request id is the update id, so a retried mutation is answered once), read the state by query and
 * the list from the order table. A mutation answers once the order list shows what it did. Refusals come
 * back as user errors with the workflow's codes; nothing here decides business rules.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  type ActionDefinition,
  type ActionPayload,
  ORDER_ACTIONS,
  ORDER_WORKFLOW,
  type OrderAction,
  type OrderWorkflow,
  type RefusalDetails,
} from '../common/actions';
import { newOrderId } from '../common/ids';
import type { NewOrder, OrderInput, OrderSettings, OrderState, OrderStatus } from '../common/order';
import type { OrderListPage, OrderListQuery } from '../common/order-list';
import { failureOf, type OrderOutcome, pendingActionError, unknownOrderError } from '../common/outcomes';
import { listOrders, waitUntilListed } from '../database/order-list';
import { readOrderSnapshot, waitForSnapshot } from '../database/order-snapshots';
import type { OrderService, ReadOptions } from '../schema/context';
import type { StatusFeed } from './status-feed';
import { orderCallError, type WorkflowReads } from './workflow-reads';

/**
 * How long a mutation waits for the workflow to take an action. A charge with its retries takes seconds;
 * longer means no worker is running, and the caller is told to send the same request again later.
 */
const ACTION_DEADLINE_MS = 30_000;
const PLACE_ORDER_WAIT_MS = 10_000;
/** A mutation answers once `orders(...)` shows what it did, unless the order list lags longer than this. */
const LISTED_WAIT_MS = 2_000;

/** How long to wait before sending an action again to a workflow catching up with the order table. */
const CATCH_UP_PAUSE_MS = 200;

/** Statuses an order passes through on its own right after it is placed (or refused). */
const SETTLING: readonly OrderStatus[] = ['VALIDATING', 'RESERVING', 'COMPENSATING'];

export interface TemporalOrdersOptions {
  client: Client;
  reads: WorkflowReads;
  feed: StatusFeed;
  orm: MikroORM;
  taskQueue: string;
  settings: OrderSettings;
  actionDeadlineMs?: number;
}

export class TemporalOrders implements OrderService {
  private readonly client: Client;
  private readonly actionDeadlineMs: number;

  constructor(private readonly options: TemporalOrdersOptions) {
    this.client = options.client;
    this.actionDeadlineMs = options.actionDeadlineMs ?? ACTION_DEADLINE_MS;
  }

  /** One primary-key read of the order table; the workflow is asked when `fresh` or the table has no snapshot. */
  async read(orderId: string, options: ReadOptions = {}): Promise<OrderState | null> {
    const stored = options.fresh ? null : await readOrderSnapshot(this.options.orm, orderId);
    return stored ?? this.options.reads.read(orderId);
  }

  list(query: OrderListQuery): Promise<OrderListPage> {
    return listOrders(this.options.orm, query);
  }

  /** Starts the order's workflow, or finds the one already started under that id; never starts two. */
  async place(order: NewOrder): Promise<OrderOutcome> {
    const orderId = order.orderId || newOrderId();
    const input: OrderInput = { ...order, orderId, settings: this.options.settings };
    try {
      await this.client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW, {
        workflowId: orderId,
        taskQueue: this.options.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        // A worker on this client's connection with a free slot (`npm run dev`) gets the first workflow task in the
        // start's answer: no trip through the task queue, and the order is priced and reserved sooner. Any other
        // start is an ordinary one.
        requestEagerStart: true,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError))
        throw orderCallError(orderId, 'start workflow', error);
    }
    const stored = await waitForSnapshot(
      this.options.orm,
      orderId,
      (state) => !SETTLING.includes(state.status),
      PLACE_ORDER_WAIT_MS,
    );
    // No snapshot: an order begun before the read model (placed again by its id), or no worker has taken it yet.
    const settled = stored ?? (await this.read(orderId, { fresh: true }));
    if (!settled) return { order: null, userErrors: [] };
    if (!stored) await waitUntilListed(this.options.orm, settled, LISTED_WAIT_MS);
    return { order: settled, userErrors: failureOf(settled) };
  }

  async act<A extends OrderAction>(
    orderId: string,
    action: A,
    payload: ActionPayload<A>,
    requestId?: string | null,
  ): Promise<OrderOutcome> {
    const outcome = await this.sendAction(orderId, action, payload, requestId || randomUUID());
    // A watcher that already holds the version the action answered with (the worker beside it wrote it) reads nothing.
    this.options.feed.nudge(orderId, outcome.order?.version);
    if (outcome.order) await waitUntilListed(this.options.orm, outcome.order, LISTED_WAIT_MS);
    return outcome;
  }

  /** Sends the update until it is answered, or refused by a workflow that is not behind the order table. */
  private async sendAction<A extends OrderAction>(
    orderId: string,
    action: A,
    payload: ActionPayload<A>,
    updateId: string,
  ): Promise<OrderOutcome> {
    const { update }: ActionDefinition<A> = ORDER_ACTIONS[action];
    const handle = this.client.workflow.getHandle(orderId);
    const deadline = Date.now() + this.actionDeadlineMs;
    const pending = () => ({
      order: null,
      userErrors: [pendingActionError(orderId, updateId, this.actionDeadlineMs)],
    });
    for (;;) {
      try {
        const order = await this.client.withDeadline(deadline, () =>
          handle.executeUpdate(update, { args: [payload], updateId }),
        );
        return { order, userErrors: failureOf(order) };
      } catch (error) {
        if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return pending();
        const outcome = await this.outcomeOfFailure(orderId, action, error);
        if (outcome !== 'behind') return outcome;
        if (Date.now() + CATCH_UP_PAUSE_MS >= deadline) return pending();
        await new Promise((resolve) => setTimeout(resolve, CATCH_UP_PAUSE_MS));
      }
    }
  }

  /**
   * A refusal by the workflow's validator, an unknown order and a closed order all come back as user errors;
   * so does an action that left the order FAILED (a declined card). 'behind': the workflow refused at an older
   * version than the order table shows (its worker was lost after writing a change), so it is still catching up.
   */
  private async outcomeOfFailure(
    orderId: string,
    action: OrderAction,
    error: unknown,
  ): Promise<OrderOutcome | 'behind'> {
    const { refusal } = ORDER_ACTIONS[action];
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const order = await this.read(orderId);
      const code = error.cause.type ?? refusal;
      if (code === refusal && order && refusedBehind(error.cause, order)) return 'behind';
      return { order, userErrors: [{ field: null, code, message: error.cause.message }] };
    }
    if (!(error instanceof WorkflowNotFoundError)) throw orderCallError(orderId, `update ${action}`, error);
    const order = await this.read(orderId);
    if (!order) return { order: null, userErrors: [unknownOrderError(orderId)] };
    return {
      order,
      userErrors: [{ field: null, code: refusal, message: `order ${orderId} is ${order.status} and closed` }],
    };
  }
}

/** Whether the workflow refused at a version older than the one the order table shows. */
function refusedBehind(refusal: ApplicationFailure, shown: OrderState): boolean {
  const [details] = refusal.details ?? [];
  const refusedAt = (details as Partial<RefusalDetails> | undefined)?.refusedAtVersion;
  return typeof refusedAt === 'number' && refusedAt < shown.version;
}
