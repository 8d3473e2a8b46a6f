/** Activity proxies that schedule each activity on the task queue of the worker role that runs it. */
import { type ActivityOptions, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { taskQueueOf } from '../../common/task-queues';
import { ACTIVITY_ROLES, type OrderActivities } from '../activities/contract';

/** Options of an ordinary step's activities: retried with backoff until they succeed or refuse for a business reason. */
export const STEP_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 10 },
} satisfies Omit<ActivityOptions, 'taskQueue'>;

function isActivityName(name: string | symbol): name is keyof OrderActivities {
  return typeof name === 'string' && Object.hasOwn(ACTIVITY_ROLES, name);
}

/**
 * The queues sit beside the workflow's own (`orders` → `orders-inventory`...), read when an activity is
 * called: a workflow's task queue is only known inside its execution, and a child inherits its parent's.
 */
export function proxyRoutedActivities(options: Omit<ActivityOptions, 'taskQueue'>): OrderActivities {
  return new Proxy({} as OrderActivities, {
    get(_target, name) {
      if (!isActivityName(name)) return undefined;
      const taskQueue = taskQueueOf(workflowInfo().taskQueue, ACTIVITY_ROLES[name]);
      return proxyActivities<OrderActivities>({ ...options, taskQueue })[name];
    },
  });
}
