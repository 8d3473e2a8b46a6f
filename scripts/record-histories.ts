/**
 * Records workflow histories from a real Temporal dev server into test/fixtures/histories/<generation>/, for the
 * replay suite. Run it (`npm run record:histories -- v4`) after a deliberate workflow change, into a new
 * generation: the older generations stay, so executions started on older code stay proven replayable.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW, type OrderWorkflow } from '../common/actions';
import { readConfig } from '../common/config';
import type { OrderInput } from '../common/order';
import { upsertProduct } from '../database/catalog';
import { createScratchDatabase } from '../database/scratch-database';
import { temporalCliExecutable } from '../server/temporal-binaries';
import { createActivities } from '../worker/activities';
import { createOrderWorker } from '../worker/run-worker';

const generation = process.argv[2];
if (!generation || !/^[\w-]+$/.test(generation)) {
  console.error('usage: npm run record:histories -- <generation>   (a new folder name, e.g. v4)');
  process.exit(2);
}
const FIXTURES = resolve(import.meta.dirname, '../test/fixtures/histories', generation);
const TASK_QUEUE = 'record-histories';

type Script = 'tok_visa' | 'tok_chargeDeclined' | 'cancel';

const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: temporalCliExecutable(true), ip: '127.0.0.1' },
});
const db = await createScratchDatabase(process.env.RECORD_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const worker = await createOrderWorker({
  connection: env.nativeConnection,
  taskQueue: TASK_QUEUE,
  activities: createActivities({ orm: db.orm }),
});
/** The default settings, with a return window short enough for the completed order's workflow to close. */
const SETTINGS = { ...readConfig({}).order, returnWindowMs: 1_000 };
const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Sq',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

async function record(name: string, script: Script, overrides: Partial<OrderInput> = {}): Promise<void> {
  // Two warehouses, so the history holds the shipments' fan-out.
  const mug = `MUG-${name}`;
  const lamp = `LAMP-${name}`;
  await upsertProduct(db.orm, { sku: mug, name: 'Mug', priceCents: 1500, stock: 10, discontinued: false });
  await upsertProduct(db.orm, {
    sku: lamp,
    name: 'Lamp',
    priceCents: 4000,
    stock: 5,
    discontinued: false,
    warehouse: 'us-east',
  });
  const input: OrderInput = {
    orderId: `recorded-${name}-${Date.now()}`,
    customerId: 'customer-1',
    items: [
      { sku: mug, quantity: 2 },
      { sku: lamp, quantity: 1 },
    ],
    address: ADDRESS,
    settings: SETTINGS,
    ...overrides,
  };
  const handle = await env.client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW, {
    workflowId: input.orderId,
    taskQueue: TASK_QUEUE,
    args: [input],
  });
  while ((await handle.query(getOrderQuery)).status !== 'AWAITING_PAYMENT') {
    await new Promise((done) => setTimeout(done, 50));
  }
  if (script === 'cancel')
    await handle.executeUpdate(ORDER_ACTIONS.cancel.update, { args: [{ reason: 'recorded cancel' }] });
  else await handle.executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod: script }] });
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
    const address = { ...ADDRESS, postalCode: '00000' };
    await record('undeliverable', 'tok_visa', { address });
    await record('cancelled', 'cancel');
  });
} finally {
  await env.teardown();
  await db.dispose();
}
