/** One Temporal environment, one test database and one worker for a file of saga tests, with helpers to drive orders. */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll } from 'vitest';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW } from '../../common/actions';
import type { OrderInput, OrderSettings, OrderState, OrderStatus } from '../../common/order';
import { createActivities } from '../../worker/activities';
import type { OrderActivities } from '../../worker/activities/contract';
import type { OrderWorker } from '../../worker/run-worker';
import type { orderWorkflow } from '../../worker/workflows';
import { createTestOrm, type TestDatabase } from './database';
import type { Shelf } from './ledger';
import { orderInput, startWorker, TEST_SETTINGS } from './temporal';

export type OrderOverrides = Omit<Partial<OrderInput>, 'settings'> & { settings?: Partial<OrderSettings> };

export interface SagaHarness {
  env(): TestWorkflowEnvironment;
  db(): TestDatabase;
  place(shelf: Shelf, overrides?: OrderOverrides): Promise<OrderHandle>;
  placeAndAwaitPayment(shelf: Shelf, overrides?: OrderOverrides): Promise<OrderHandle>;
  reach(handle: OrderHandle, status: OrderStatus): Promise<OrderState>;
  pay(handle: OrderHandle, paymentMethod: string): Promise<OrderState>;
}

export type OrderHandle = WorkflowHandle<typeof orderWorkflow>;

/** Polls in real time: a time-skipping server only skips while a test awaits a workflow result. */
export async function reachStatus(handle: OrderHandle, status: OrderStatus): Promise<OrderState> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const state = await handle.query(getOrderQuery);
    if (state.status === status) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`order ${handle.workflowId} never reached ${status}`);
}

export function useSagaHarness(
  taskQueue: string,
  startEnvironment: () => Promise<TestWorkflowEnvironment>,
  settings: Partial<OrderSettings> = {},
  /** Changes the real activities for the file's worker, e.g. to make one slow. */
  adjustActivities: (activities: OrderActivities) => OrderActivities = (activities) => activities,
): SagaHarness {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: OrderWorker;
  let running: Promise<void>;

  beforeAll(async () => {
    [env, db] = await Promise.all([startEnvironment(), createTestOrm()]);
    worker = await startWorker(env, taskQueue, adjustActivities(createActivities({ orm: db.orm })));
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.dispose();
  });

  const place = async (shelf: Shelf, overrides: OrderOverrides = {}) => {
    const input = orderInput({
      items: [
        { sku: shelf.mug, quantity: 2 },
        { sku: shelf.lamp, quantity: 1 },
      ],
      ...overrides,
      settings: { ...TEST_SETTINGS, ...settings, ...overrides.settings },
    });
    return env.client.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue,
      args: [input],
    });
  };

  return {
    env: () => env,
    db: () => db,
    place,
    reach: reachStatus,
    async placeAndAwaitPayment(shelf, overrides) {
      const handle = await place(shelf, overrides);
      await reachStatus(handle, 'AWAITING_PAYMENT');
      return handle;
    },
    pay: (handle, paymentMethod) =>
      handle.executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod }] }),
  };
}
