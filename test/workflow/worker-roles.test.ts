/**
 * Workers split by role: each provider's activities are scheduled on their own task queue and served by whichever
 * worker takes that role, so each can run in its own processes and scale apart; the order's stock work runs locally
 * in the worker that runs its workflow.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW } from '../../common/actions';
import { parseWorkerRoles, WORKER_ROLES } from '../../common/task-queues';
import { createActivities } from '../../worker/activities';
import { createOrderWorker, type OrderWorker } from '../../worker/run-worker';
import type { orderWorkflow } from '../../worker/workflows';
import { createTestOrm, type TestDatabase } from '../support/database';
import { readLedger, stockShelf } from '../support/ledger';
import { reachStatus } from '../support/saga-harness';
import { orderInput, startDevServer, TEST_SETTINGS, workflowBundle } from '../support/temporal';

const TASK_QUEUE = 'worker-roles-test';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
const running: { worker: OrderWorker; done: Promise<void> }[] = [];

async function startRoles(roles: ReturnType<typeof parseWorkerRoles>): Promise<void> {
  const worker = await createOrderWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: TASK_QUEUE,
    activities: createActivities({ orm: db.orm }),
    roles,
    workflowBundle: await workflowBundle(),
  });
  running.push({ worker, done: worker.run() });
}

beforeAll(async () => {
  [env, db] = await Promise.all([startDevServer(), createTestOrm()]);
});

afterAll(async () => {
  for (const { worker } of running) worker.shutdown();
  await Promise.all(running.map(({ done }) => done));
  await env?.teardown();
  await db?.dispose();
});

describe('workers split by role', () => {
  it('an order waits at its charge while no payments worker runs, and completes once every role is served; its stock work needs no inventory worker', async () => {
    await startRoles(['orders']);
    const shelf = await stockShelf(db.orm);
    // A short return window, so that the completed order's workflow closes and its result can be awaited.
    const settings = { ...TEST_SETTINGS, returnWindowMs: 1_000 };
    const input = orderInput({ items: [{ sku: shelf.mug, quantity: 2 }], settings });
    const handle = await env.client.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    await reachStatus(handle, 'AWAITING_PAYMENT');
    expect((await readLedger(db.orm, handle.workflowId, shelf)).stock[shelf.mug]).toMatchObject({
      reserved: 2,
    });
    const paid = await handle.startUpdate(ORDER_ACTIONS.pay.update, {
      args: [{ paymentMethod: 'tok_visa' }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await handle.query(getOrderQuery)).status).toBe('CHARGING');
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    expect(pending.map((activity) => activity.activityType?.name)).toEqual(['chargePayment']);

    await startRoles(['payments', 'shipping']);
    await paid.result();
    await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED' });
    expect((await readLedger(db.orm, handle.workflowId, shelf)).stock[shelf.mug]).toEqual({
      available: 8,
      reserved: 0,
      sold: 2,
    });
  });

  it('WORKER_ROLES names the roles; empty means all of them; an unknown role is refused by name', () => {
    expect(parseWorkerRoles('')).toEqual([...WORKER_ROLES]);
    expect(parseWorkerRoles(' inventory, payments,inventory ')).toEqual(['inventory', 'payments']);
    expect(() => parseWorkerRoles('orders,billing')).toThrow(
      'WORKER_ROLES: unknown role billing; the roles are orders, inventory, payments, shipping',
    );
  });
});
