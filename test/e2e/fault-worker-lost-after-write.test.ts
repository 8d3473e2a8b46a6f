/**
 * Fault suite: a worker lost after its local activity wrote a change to the order table but before the workflow
 * task that made the change completed. Callers have already been shown that change (the order awaits payment);
 * the next worker replays from the task before it, and an action sent meanwhile must still be taken, not refused
 * because the workflow has not caught up with what the order table shows.
 */
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../support/graphql-client';
import { stockShelf } from '../support/ledger';
import { awaitSettled, placeOrder, settlementProblems } from '../support/order-mix';
import { type ChildHandle, spawnTs } from '../support/processes';
import { type Stack, startStack } from '../support/stack';
import { workflowBundleFile } from '../support/temporal';

const STOCK = { mugs: 10, lamps: 5 };
const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) {
  order { id status version } userErrors { code message } } }`;

let stack: Stack;
let bundlePath: string;
const workers: ChildHandle[] = [];

beforeAll(async () => {
  [stack, bundlePath] = await Promise.all([
    startStack('fault-lost-after-write', {}, { workerApart: true }),
    workflowBundleFile(),
  ]);
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill('SIGKILL')));
  await stack?.stop();
  if (bundlePath) await rm(dirname(bundlePath), { recursive: true, force: true });
});

function startWorkerProcess(entry: string, env: Record<string, string> = {}): ChildHandle {
  const worker = spawnTs(entry, { ...stack.processEnv, WORKFLOW_BUNDLE_PATH: bundlePath, ...env });
  workers.push(worker);
  return worker;
}

describe('a worker lost between writing a change to the order table and completing its workflow task', () => {
  it('takes the payment the caller sends on what the table showed, and the order ends once, as paid', async () => {
    const shelf = await stockShelf(stack.db.orm, STOCK);
    const order = {
      orderId: `lost-after-write-${Date.now()}`,
      plan: 'pay' as const,
      items: [{ sku: shelf.mug, quantity: 2 }],
    };
    const stalling = startWorkerProcess('test/support/stalling-worker.ts', {
      STALL_AT_STATUS: 'AWAITING_PAYMENT',
    });
    await stalling.waitFor(/worker polling/);

    await placeOrder(() => stack.api.url, order, Date.now() + 30_000);
    await stalling.waitFor(/stalled after writing/);
    await stalling.kill('SIGKILL');
    const sound = startWorkerProcess('worker/main.ts');
    await sound.waitFor(/worker polling/);

    const paid = await post<{
      payOrder: { order: { status: string } | null; userErrors: { code: string }[] };
    }>(stack.api.url, PAY, {
      input: { orderId: order.orderId, paymentMethod: 'tok_visa', requestId: `${order.orderId}-pay` },
    });
    expect(paid.body.errors).toBeUndefined();
    expect(paid.body.data?.payOrder.userErrors).toEqual([]);
    expect(paid.body.data?.payOrder.order?.status).not.toBe('AWAITING_PAYMENT');

    const settled = await awaitSettled(stack.api.url, [order], 60_000);
    expect(settled.get(order.orderId)?.status).toBe('COMPLETED');
    expect(await settlementProblems(stack.db.orm, shelf, STOCK, [order], settled)).toEqual([]);
  }, 120_000);
});
