/**
 * Records workflow histories from a real Temporal dev server into test/fixtures/histories/<generation>/, for the
 * replay suite. Run it (`npm run record:histories -- v4`) after a deliberate workflow change, into a new
 * generation: the older generations stay, so executions started on older code stay proven replayable.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { cancelUpdate, getOrderQuery, ORDER_WORKFLOW, payUpdate } from '../common/actions';
import type { OrderInput } from '../common/order';
import { createTestOrm } from '../test/support/database';
import { stockShelf } from '../test/support/ledger';
import { orderInput, startDevServer, startWorker, TEST_SETTINGS } from '../test/support/temporal';
import { createActivities } from '../worker/activities';
import type { orderWorkflow } from '../worker/workflows';

const generation = process.argv[2];
if (!generation || !/^[\w-]+$/.test(generation)) {
  console.error('usage: npm run record:histories -- <generation>   (a new folder name, e.g. v4)');
  process.exit(2);
}
const FIXTURES = resolve(import.meta.dirname, '../test/fixtures/histories', generation);
const TASK_QUEUE = 'record-histories';

type Script = 'tok_visa' | 'tok_chargeDeclined' | 'cancel';

const env = await startDevServer();
const db = await createTestOrm();
const worker = await startWorker(env, TASK_QUEUE, createActivities({ orm: db.orm }));

async function record(name: string, script: Script, overrides: Partial<OrderInput> = {}): Promise<void> {
  const shelf = await stockShelf(db.orm);
  const input = orderInput({
    items: [
      { sku: shelf.mug, quantity: 2 },
      { sku: shelf.lamp, quantity: 1 },
    ],
    settings: { ...TEST_SETTINGS, returnWindowMs: 1_000 },
    ...overrides,
  });
  const handle = await env.client.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW, {
    workflowId: input.orderId,
    taskQueue: TASK_QUEUE,
    args: [input],
  });
  while ((await handle.query(getOrderQuery)).status !== 'AWAITING_PAYMENT') {
    await new Promise((done) => setTimeout(done, 50));
  }
  if (script === 'cancel')
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'recorded cancel' }] });
  else await handle.executeUpdate(payUpdate, { args: [{ paymentMethod: script }] });
  const result = await handle.result();
  const history = await handle.fetchHistory();
  await writeFile(join(FIXTURES, `${name}.json`), `${historyToJSON(history)}\n`);
  console.log(`${name}: ${result.status}, ${history.events?.length} events`);
}

try {
  await mkdir(FIXTURES, { recursive: true });
  await worker.runUntil(async () => {
    await record('completed', 'tok_visa');
    await record('declined', 'tok_chargeDeclined');
    const address = { ...orderInput().address, postalCode: '00000' };
    await record('undeliverable', 'tok_visa', { address });
    await record('cancelled', 'cancel');
  });
} finally {
  await env.teardown();
  await db.dispose();
}
