/**
 * Reads of order workflows for the status feed and the API: the state by query, and which workflows closed.
 * Reads in flight are tracked so the connection can close under none.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { getOrderQuery, ORDER_WORKFLOW } from '../common/actions';
import type { OrderState } from '../common/order';
import { TemporarilyUnavailableError } from '../common/outcomes';
import type { OrderSource } from './order-watcher';
import type { ClosedOrders } from './status-feed';

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

/**
 * gRPC statuses that say the order cannot be reached now, after the client's own retries: UNAVAILABLE (14) and
 * DEADLINE_EXCEEDED (4) when Temporal is down or no worker takes the query (all of them restarting), and
 * FAILED_PRECONDITION (9) while the workflow's last task failed and waits for a worker to retry it.
 */
const TEMPORAL_DOWN: ReadonlySet<number> = new Set([14, 4, 9]);

/** The status sits on a cause down the chain; a query's is a plain Error with a numeric `code`. */
function temporalIsDown(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'number' && TEMPORAL_DOWN.has(code)) return true;
  }
  return false;
}

/** A failed call to Temporal, as TemporarilyUnavailableError when Temporal is down, else as OrderCallError. */
export function orderCallError(orderId: string, call: string, cause: unknown): Error {
  const failure = new OrderCallError(orderId, call, cause);
  return temporalIsDown(cause)
    ? new TemporarilyUnavailableError('Temporal', failure.message, { cause })
    : failure;
}

export class WorkflowReads implements OrderSource, ClosedOrders {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly client: Client) {}

  read(orderId: string): Promise<OrderState | null> {
    return this.track(
      this.client.workflow
        .getHandle(orderId)
        .query(getOrderQuery)
        .catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return null;
          throw orderCallError(orderId, 'query getOrder', error);
        }),
    );
  }

  /** The orders whose workflow closed since `sinceMs` (Temporal's visibility list; it may lag a moment). */
  async closedSince(sinceMs: number): Promise<string[]> {
    const since = new Date(sinceMs).toISOString();
    const query = `WorkflowType = '${ORDER_WORKFLOW}' AND ExecutionStatus != 'Running' AND CloseTime >= '${since}'`;
    const closed: string[] = [];
    for await (const workflow of this.client.workflow.list({ query })) closed.push(workflow.workflowId);
    return closed;
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
}
