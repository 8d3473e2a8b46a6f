/**
 * Builds the Temporal workers of the given roles (all by default), one per task queue; used by
 * `npm run worker`, dev mode and tests. The `orders` role runs the workflows.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import {
  bundleWorkflowCode,
  type Logger,
  type NativeConnection,
  Worker,
  type WorkflowBundle,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { WorkerTuning } from '../common/config';
import { taskQueueOf, WORKER_ROLES, type WorkerRole } from '../common/task-queues';
import type { OrderActivities } from './activities/contract';
import { ACTIVITY_ROLES } from './activity-roles';
import { ensureSearchAttributes } from './search-attributes';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export interface OrderWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  /** The orders queue; the other roles poll the queues beside it. */
  taskQueue: string;
  activities: OrderActivities;
  roles?: readonly WorkerRole[];
  /**
   * A prebuilt bundle or the path of one (tests build it once, `WORKFLOW_BUNDLE_PATH` for a worker process),
   * made by bundleOrderWorkflows with this worker's data converter; by default the workflows are bundled at start.
   */
  workflowBundle?: WorkflowBundleOption;
  /** The payload codec (common/payload-codec.ts) for every role: activities see names and addresses too. */
  dataConverter?: DataConverter;
  /** Cache and slots (common/config.ts); the SDK's defaults when absent. */
  tuning?: WorkerTuning;
}

/**
 * The workflows bundled ahead of time for workers with this data converter: its converters run inside the
 * workflow sandbox too, so a bundle built without the failure converter would write the workflows' own failures
 * (a shipment's undeliverable address) in clear.
 */
export function bundleOrderWorkflows(
  dataConverter: DataConverter | undefined,
  logger?: Logger,
): Promise<WorkflowBundle> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    payloadConverterPath: dataConverter?.payloadConverterPath,
    failureConverterPath: dataConverter?.failureConverterPath,
    logger,
  });
}

/** The workers of one process, run and stopped together. */
export interface OrderWorker {
  run(): Promise<void>;
  runUntil<R>(until: Promise<R> | (() => Promise<R>)): Promise<R>;
  shutdown(): void;
}

function activitiesOf(role: WorkerRole, activities: OrderActivities): Partial<OrderActivities> {
  return Object.fromEntries(
    Object.entries(activities).filter(([name]) => ACTIVITY_ROLES[name as keyof OrderActivities] === role),
  );
}

function activitySlots(tuning: WorkerTuning | undefined) {
  return tuning ? { maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities } : {};
}

function workflowSlots(tuning: WorkerTuning | undefined) {
  if (!tuning) return {};
  return {
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: Math.min(
      tuning.maxConcurrentWorkflowTasks,
      tuning.maxCachedWorkflows,
    ),
    maxConcurrentLocalActivityExecutions: tuning.maxConcurrentActivities,
  };
}

function workflowOptions(options: OrderWorkerOptions) {
  return {
    ...workflowSlots(options.tuning),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
  };
}

export async function createOrderWorker(options: OrderWorkerOptions): Promise<OrderWorker> {
  const namespace = options.namespace ?? 'default';
  const roles = options.roles ?? WORKER_ROLES;
  if (roles.includes('orders')) await ensureSearchAttributes(options.connection, namespace);
  const workers = await Promise.all(
    roles.map((role) =>
      Worker.create({
        connection: options.connection,
        namespace,
        dataConverter: options.dataConverter,
        taskQueue: taskQueueOf(options.taskQueue, role),
        // The orders worker also serves every activity: executions started before the split still have
        // activity tasks on the orders queue.
        activities: role === 'orders' ? options.activities : activitiesOf(role, options.activities),
        ...(role === 'orders' ? workflowOptions(options) : {}),
        ...activitySlots(options.tuning),
      }),
    ),
  );
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  // One worker failing stops the others: the process must not go on half-serving its roles.
  const run = async () => {
    await Promise.all(
      workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          shutdown();
          throw error;
        }),
      ),
    );
  };
  return {
    run,
    shutdown,
    async runUntil(until) {
      const running = run();
      try {
        return await (typeof until === 'function' ? until() : until);
      } finally {
        shutdown();
        await running;
      }
    },
  };
}
