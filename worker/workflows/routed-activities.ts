/** Activity proxies that schedule each activity on the task queue of the worker role that runs it. */
import {
  type ActivityInterfaceFor,
  type ActivityOptions,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { taskQueueOf, WORKER_ROLES, type WorkerRole } from '../../common/task-queues';
import type { OrderActivities } from '../activities/contract';
import { ACTIVITY_ROLES } from '../activity-roles';

/**
 * Options of every activity of the saga, its undos included. Retries are for our own infrastructure: the database
 * unreachable, a deadlock, a connection reset, a worker restarting. Such an outage can last hours, and an order
 * should wait through it, not fail as INTERNAL halfway through its charge, nor an undo escalate to staff after
 * seconds and leave stock reserved. So the backoff grows to a minute and the retries go on for six hours; what is
 * still failing then is no outage, and staff hear of it. Business refusals are non-retryable and end the retries
 * at once. The payment provider's own transient errors are not ours to wait out: the charge activity gives up on
 * them after 3 attempts (1 s and 2 s apart under this same backoff) with a business failure.
 */
export const STEP_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '15s',
  scheduleToCloseTimeout: '6h',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
} satisfies Omit<ActivityOptions, 'taskQueue'>;

/**
 * Every activity, each on its role's queue beside the workflow's own (`orders` → `orders-inventory`...).
 * Called inside the workflow: a workflow's task queue is only known in its execution, and a child inherits
 * its parent's.
 */
export function proxyRoutedActivities(
  options: Omit<ActivityOptions, 'taskQueue'>,
): ActivityInterfaceFor<OrderActivities> {
  const ordersQueue = workflowInfo().taskQueue;
  const byRole = Object.fromEntries(
    WORKER_ROLES.map((role) => [
      role,
      proxyActivities<OrderActivities>({ ...options, taskQueue: taskQueueOf(ordersQueue, role) }),
    ]),
  ) as Record<WorkerRole, ActivityInterfaceFor<OrderActivities>>;
  const routed: Partial<ActivityInterfaceFor<OrderActivities>> = {};
  for (const [name, role] of Object.entries(ACTIVITY_ROLES) as [keyof OrderActivities, WorkerRole][]) {
    Object.assign(routed, { [name]: byRole[role][name] });
  }
  return routed as ActivityInterfaceFor<OrderActivities>;
}

/** The activities an order runs as local activities (which of them, by the order's workflow changes: see order.ts). */
export type LocalOrderActivities = Pick<
  ActivityInterfaceFor<OrderActivities>,
  'recordOrderSnapshot' | 'sendNotification' | 'priceOrder' | 'reserveStock' | 'commitSale' | 'confirmSale'
>;

/**
 * The order's own short database work on its way runs as local activities in the worker that runs the workflow: no
 * task queue round trip, one history event each instead of three, and the workflow task goes on without waiting for a
 * poller. That is its row in the order table, the outbox, and its forward stock work: pricing from the catalogue,
 * reserving and selling are each one short transaction on the database that worker already writes, idempotent by the
 * order's key, SKU rows locked in a fixed order. The provider calls (charge, refund, the carrier's bookings) stay
 * regular activities on their own queues, where they can be scaled and retried on their own. A local activity whose
 * retries back off past 2 s waits for the next attempt on a workflow timer instead of holding its workflow task, so
 * queries and actions are answered in between (the SDK's default keeps the task for a minute).
 */
export function proxyLocalOrderActivities(): LocalOrderActivities {
  return proxyLocalActivities<OrderActivities>({ ...STEP_ACTIVITY_OPTIONS, localRetryThreshold: '2s' });
}
