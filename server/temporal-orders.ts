/**
 * The orders as the API drives them through Temporal: start a workflow per order, send actions as updates
 * (the request id is the update id, so a retried mutation is answered once), read the state by query.
 * Refusals come back as user errors with the workflow's codes; nothing here decides business rules.
 */

import { randomUUID } from 'node:crypto';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { type ActionRefusal, getOrderQuery, ORDER_WORKFLOW } from '../common/actions';
import type { OrderInput, OrderSettings, OrderState, OrderStatus } from '../common/order';
import type { OrderSource } from './order-watcher';

export interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}

export interface OrderOutcome {
  order: OrderState | null;
  userErrors: UserError[];
}

export type NewOrder = Omit<OrderInput, 'orderId' | 'settings'> & { orderId?: string | null };

/**
 * How long a mutation waits for the workflow to take an action. A charge with its retries takes seconds;
 * longer means no worker is running, and the caller is told to send the same request again later.
 */
const ACTION_DEADLINE_MS = 30_000;

/** A call to Temporal failed unexpectedly; the message names the order and the call, so a log line says it all. */
export class OrderCallError extends Error {
  constructor(
    readonly orderId: string,
    call: string,
    cause: unknown,
  ) {
    super(`order ${orderId}: ${call} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'OrderCallError';
  }
}

/** Statuses an order passes through on its own right after it is placed (or refused). */
const SETTLING: readonly OrderStatus[] = ['VALIDATING', 'RESERVING', 'COMPENSATING'];

export class TemporalOrders implements OrderSource {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly settings: OrderSettings,
    private readonly actionDeadlineMs = ACTION_DEADLINE_MS,
  ) {}

  private readonly inFlight = new Set<Promise<unknown>>();

  read(orderId: string): Promise<OrderState | null> {
    return this.track(
      this.client.workflow
        .getHandle(orderId)
        .query(getOrderQuery)
        .catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return null;
          throw new OrderCallError(orderId, 'query getOrder', error);
        }),
    );
  }

  waitUntilClosed(orderId: string, signal: AbortSignal): Promise<void> {
    return this.track(
      this.client
        .withAbortSignal(signal, () => this.client.workflow.getHandle(orderId).result())
        .then(
          () => undefined,
          (error: unknown) => {
            if (signal.aborted || error instanceof WorkflowNotFoundError) throw error;
          },
        ),
    );
  }

  /** Waits for the reads in flight (and their retries) to end, so the connection can close under none. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(call: Promise<T>): Promise<T> {
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call)).catch(() => undefined);
    return call;
  }

  /** Starts the order's workflow, or finds the one already started under that id; never starts two. */
  async place(order: NewOrder): Promise<{ orderId: string; started: boolean }> {
    const orderId = order.orderId || `ord_${randomUUID()}`;
    const input: OrderInput = { ...order, orderId, settings: this.settings };
    try {
      await this.client.workflow.start(ORDER_WORKFLOW, {
        workflowId: orderId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      return { orderId, started: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { orderId, started: false };
      throw new OrderCallError(orderId, 'start workflow', error);
    }
  }

  isSettling(state: OrderState): boolean {
    return SETTLING.includes(state.status);
  }

  /**
   * Sends one action as an update. A refusal by the workflow's validator, an unknown order and a closed
   * order all come back as user errors; so does an action that left the order FAILED (a declined card).
   */
  async act<A>(
    orderId: string,
    update: UpdateDefinition<OrderState, [A]>,
    action: A,
    refusal: ActionRefusal,
    requestId?: string | null,
  ): Promise<OrderOutcome> {
    const handle = this.client.workflow.getHandle(orderId);
    const updateId = requestId || randomUUID();
    try {
      const order = await this.client.withDeadline(Date.now() + this.actionDeadlineMs, () =>
        handle.executeUpdate(update, { args: [action], updateId }),
      );
      return { order, userErrors: failureOf(order) };
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
        return { order: null, userErrors: [pendingActionError(orderId, updateId, this.actionDeadlineMs)] };
      }
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        const order = await this.read(orderId);
        return {
          order,
          userErrors: [{ field: null, code: error.cause.type ?? refusal, message: error.cause.message }],
        };
      }
      if (!(error instanceof WorkflowNotFoundError))
        throw new OrderCallError(orderId, `update ${update.name}`, error);
      const order = await this.read(orderId);
      if (!order) return { order: null, userErrors: [unknownOrderError(orderId)] };
      return {
        order,
        userErrors: [
          { field: null, code: refusal, message: `order ${orderId} is ${order.status} and closed` },
        ],
      };
    }
  }
}

/** The action may still take effect: the same request id later answers it exactly once. */
export function pendingActionError(orderId: string, requestId: string, waitedMs: number): UserError {
  return {
    field: null,
    code: 'ACTION_PENDING',
    message:
      `order ${orderId} did not answer within ${waitedMs / 1000} s; ` +
      `send the request again with requestId "${requestId}" to get its outcome`,
  };
}

/** What the schema asks of the orders: TemporalOrders in the server, a stand-in in unit tests. */
export type OrderService = Pick<TemporalOrders, 'read' | 'place' | 'act' | 'isSettling'>;

export function unknownOrderError(orderId: string): UserError {
  return { field: ['input', 'orderId'], code: 'UNKNOWN_ORDER', message: `order ${orderId} does not exist` };
}

/** An order failing or failed says why, with the failure's own code (OUT_OF_STOCK, PAYMENT_DECLINED...). */
export function failureOf(order: OrderState): UserError[] {
  if (!order.failure || (order.status !== 'FAILED' && order.status !== 'COMPENSATING')) return [];
  return [{ field: null, code: order.failure.code, message: order.failure.message }];
}
