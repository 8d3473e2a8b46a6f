/** Builds the Temporal worker that runs the order saga; used by `npm run worker`, dev mode and tests. */
import { fileURLToPath } from 'node:url';
import { type InjectedSinks, type NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { OrderActivities } from './activities/contract';
import { ensureSearchAttributes } from './search-attributes';
import type { StatusSinks } from './workflows/order-tracker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: OrderActivities;
  /** Told of every status change as it happens, so a feed in the same process need not wait for a poll. */
  onStatusChange?: (orderId: string, version: number) => void;
  /** A prebuilt bundle (tests build it once); by default the workflows are bundled at start. */
  workflowBundle?: WorkflowBundle;
}

export async function createOrderWorker(options: OrderWorkerOptions): Promise<Worker> {
  const namespace = options.namespace ?? 'default';
  await ensureSearchAttributes(options.connection, namespace);
  const sinks: InjectedSinks<StatusSinks> = {
    orderStatus: {
      changed: {
        fn: (_info, orderId, version) => options.onStatusChange?.(orderId, version),
        callDuringReplay: false,
      },
    },
  };
  return Worker.create({
    connection: options.connection,
    namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    sinks,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
  });
}
