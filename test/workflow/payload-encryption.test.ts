/**
 * With the payload codec on, an order runs as before while its history, read straight from the Temporal dev
 * server without the codec, holds neither the customer's name nor the address; a client with the codec reads
 * the order in full.
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW, type OrderWorkflow } from '../../common/actions';
import { shipmentWorkflowId } from '../../common/ids';
import type { OrderInput } from '../../common/order';
import { ENCRYPTED_ENCODING, encryptingDataConverter, parsePayloadKeys } from '../../common/payload-codec';
import { createActivities } from '../../worker/activities';
import type { OrderWorker } from '../../worker/run-worker';
import { createTestOrm, type TestDatabase } from '../support/database';
import { historyTexts, PERSONAL_DATA } from '../support/history-texts';
import { stockShelf } from '../support/ledger';
import { reachStatus } from '../support/saga-harness';
import { orderInput, startDevServer, startWorker } from '../support/temporal';

const TASK_QUEUE = 'payload-encryption-test';
const dataConverter = encryptingDataConverter(
  parsePayloadKeys(`test-key:${Buffer.alloc(32, 9).toString('base64')}`, undefined),
);

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: OrderWorker;
let running: Promise<void>;
let client: Client;

beforeAll(async () => {
  [env, db] = await Promise.all([startDevServer(), createTestOrm()]);
  worker = await startWorker(env, TASK_QUEUE, createActivities({ orm: db.orm }), undefined, dataConverter);
  running = worker.run();
  client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.dispose();
});

describe('payload encryption', () => {
  it('keeps the name and address out of the raw history of a completed order, and the codec reads them back', async () => {
    const shelf = await stockShelf(db.orm);
    const input = orderInput({
      items: [
        { sku: shelf.mug, quantity: 1 },
        { sku: shelf.lamp, quantity: 1 },
      ],
      settings: { ...orderInput().settings, returnWindowMs: 1_000 },
    });
    const handle = await client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    await reachStatus(handle, 'AWAITING_PAYMENT');
    await handle.executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod: 'tok_visa' }] });
    const final = await handle.result();
    expect(final.status).toBe('COMPLETED');
    expect(final.shipments).toHaveLength(2);

    // The test environment's own client has no codec: it sees what the server stores. The shipments' child
    // workflows carry the address too.
    const rawHistory = (workflowId: string) => env.client.workflow.getHandle(workflowId).fetchHistory();
    const raw = await rawHistory(input.orderId);
    const children = await Promise.all(
      final.shipments.map(({ warehouse }) => rawHistory(shipmentWorkflowId(input.orderId, warehouse))),
    );
    const texts = [raw, ...children].flatMap(historyTexts);
    for (const value of PERSONAL_DATA) expect(texts.filter((text) => text.includes(value))).toEqual([]);
    const started = raw.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(started?.metadata?.[METADATA_ENCODING_KEY] ?? []).toString()).toBe(ENCRYPTED_ENCODING);
    // Activities' inputs and results (the shipments carry the address) are sealed too.
    const scheduled = raw.events?.filter((event) => event.activityTaskScheduledEventAttributes) ?? [];
    expect(scheduled.length).toBeGreaterThan(3);

    // The client with the codec reads the order, and the codec opens what the history holds.
    const state = await client.workflow.getHandle<OrderWorkflow>(input.orderId).query(getOrderQuery);
    expect(state).toMatchObject({ status: 'COMPLETED', address: { name: 'Ada Lovelace' } });
    const [opened] = (await dataConverter?.payloadCodecs?.[0]?.decode([started as Payload])) ?? [];
    expect(defaultPayloadConverter.fromPayload<OrderInput>(opened as Payload).address).toEqual(input.address);
  });
});
