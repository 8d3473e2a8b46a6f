/**
 * A worker process is SIGKILLed after the payment provider took the charge but before the answer got
 * back (the simulated provider answers slowly); a new worker retries the charge and finishes the
 * order, and the database shows every effect exactly once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW } from '../../common/actions';
import type { orderWorkflow } from '../../worker/workflows';
import { createTestOrm, type TestDatabase } from '../support/database';
import { readLedger, stockShelf } from '../support/ledger';
import { type ChildHandle, spawnTs } from '../support/processes';
import { orderInput, startDevServer, TEST_SETTINGS, workflowBundleFile } from '../support/temporal';

const TASK_QUEUE = 'worker-crash-test';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
const workers: ChildHandle[] = [];

beforeAll(async () => {
  [env, db] = await Promise.all([startDevServer(), createTestOrm()]);
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
  await env?.teardown();
  await db?.dispose();
});

async function startWorkerProcess(): Promise<ChildHandle> {
  const worker = spawnTs('worker/main.ts', {
    TEMPORAL_ADDRESS: env.address,
    DATABASE_URL: db.databaseUrl,
    TASK_QUEUE,
    SIMULATED_PROVIDER_LATENCY_MS: '2000',
    // The replacement starts from the prebuilt bundle, as a restarted production worker may.
    WORKFLOW_BUNDLE_PATH: await workflowBundleFile(),
  });
  workers.push(worker);
  await worker.waitFor(/worker polling/);
  return worker;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a worker killed mid-saga', () => {
  it('is replaced by a new worker that finishes the order with one charge, one reservation and one shipment per warehouse', async () => {
    const shelf = await stockShelf(db.orm);
    const firstWorker = await startWorkerProcess();
    const input = orderInput({
      items: [
        { sku: shelf.mug, quantity: 2 },
        { sku: shelf.lamp, quantity: 1 },
      ],
      settings: { ...TEST_SETTINGS, returnWindowMs: 1_000 },
    });
    const handle = await env.client.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    await until(
      async () => (await handle.query(getOrderQuery)).status === 'AWAITING_PAYMENT',
      'awaiting payment',
    );

    const paid = handle.executeUpdate(ORDER_ACTIONS.pay.update, {
      args: [{ paymentMethod: 'tok_visa' }],
      updateId: 'pay-once',
    });
    await until(
      async () => (await readLedger(db.orm, input.orderId, shelf)).charges.length > 0,
      'the charge',
    );
    await firstWorker.kill('SIGKILL');
    await startWorkerProcess();

    expect((await paid).payment.status).toBe('CHARGED');
    const final = await handle.result();
    expect(final.status).toBe('COMPLETED');

    const events = (await handle.fetchHistory()).events ?? [];
    const chargeScheduled = events.find(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'chargePayment',
    );
    const chargeStarted = events.find(
      (event) =>
        String(event.activityTaskStartedEventAttributes?.scheduledEventId) ===
        String(chargeScheduled?.eventId),
    );
    expect(chargeStarted?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThanOrEqual(2);

    const ledger = await readLedger(db.orm, input.orderId, shelf);
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 0 }]);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 4, reserved: 0, sold: 1 });
    expect(ledger.shipments).toHaveLength(2);
  }, 120_000);
});
