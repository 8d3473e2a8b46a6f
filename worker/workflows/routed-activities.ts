/** Activity proxies that schedule each activity on the task queue of the worker role that runs it. */
import {
  type ActivityInterfaceFor,
  type ActivityOptions,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import { taskQueueOf, WORKER_ROLES, type WorkerRole } from '../../common/task-queues';
import type { OrderActivities } from '../activities/contract';
import { ACTIVITY_ROLES } from '../activity-roles';

/** Options of an ordinary step's activities: retried with backoff until they succeed or refuse for a business reason. */
export const STEP_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10 },
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
