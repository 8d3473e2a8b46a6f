/**
 * With the payload codec on, an order runs as before while its history, read straight from the Temporal dev
 * server without the codec, holds neither the customer's name nor the address, failure messages included; a
 * client with the codec reads the order in full.
 */
import { Client, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  ApplicationFailure,
  defaultPayloadConverter,
  METADATA_ENCODING_KEY,
  type Payload,
  type ProtoFailure,
} from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW, type OrderWorkflow } from '../../common/actions';
import type { OrderInput } from '../../common/order';
import { ENCRYPTED_ENCODING, encryptingDataConverter, parsePayloadKeys } from '../../common/payload-codec';
import { createActivities } from '../../worker/activities';
import { UNDELIVERABLE_POSTAL_CODE } from '../../worker/activities/shipping';
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
  worker = await startWorker(env, TASK_QUEUE, createActivities({ orm: db.orm }), dataConverter);
  running = worker.run();
  client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', dataConverter });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.dispose();
});

type History = temporal.api.history.v1.IHistory;

/** The history as the server stores it: the test environment's own client has no codec. */
const rawHistory = (workflowId: string) => env.client.workflow.getHandle(workflowId).fetchHistory();

/** The order's history and its shipments' (they carry the address too) by workflow id, without the codec. */
async function rawHistories(orderId: string): Promise<Map<string, History>> {
  const order = await rawHistory(orderId);
  const childIds = (order.events ?? []).flatMap(
    (event) => event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
  );
  expect(childIds.length).toBeGreaterThan(0);
  const children = await Promise.all(childIds.map(async (id) => [id, await rawHistory(id)] as const));
  return new Map([[orderId, order], ...children]);
}

const encodingOf = (payload: Payload | null | undefined) =>
  Buffer.from(payload?.metadata?.[METADATA_ENCODING_KEY] ?? []).toString();

/** Every failure in the histories' events, the causes they wrap included. */
function failuresIn(histories: History[]): ProtoFailure[] {
  const failures: ProtoFailure[] = [];
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
    for (const [key, field] of Object.entries(value)) {
      if (field && (key === 'failure' || key === 'cause')) failures.push(field as ProtoFailure);
      visit(field);
    }
  };
  for (const history of histories) visit(history.events);
  return failures;
}

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

    const histories = await rawHistories(input.orderId);
    expect(histories.size).toBe(1 + final.shipments.length);
    const raw = histories.get(input.orderId) ?? {};
    const texts = [...histories.values()].flatMap(historyTexts);
    for (const value of PERSONAL_DATA) expect(texts.filter((text) => text.includes(value))).toEqual([]);
    const started = raw.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(encodingOf(started)).toBe(ENCRYPTED_ENCODING);
    // Activities' inputs and results (the shipments carry the address) are sealed too, local ones' in their markers.
    const events = raw.events ?? [];
    const scheduled = events.filter((event) => event.activityTaskScheduledEventAttributes);
    const local = events.filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity',
    );
    expect(scheduled.length).toBeGreaterThan(0);
    expect(local.length).toBeGreaterThan(3);

    // The client with the codec reads the order, and the codec opens what the history holds.
    const state = await client.workflow.getHandle<OrderWorkflow>(input.orderId).query(getOrderQuery);
    expect(state).toMatchObject({ status: 'COMPLETED', address: { name: 'Ada Lovelace' } });
    const [opened] = (await dataConverter?.payloadCodecs?.[0]?.decode([started as Payload])) ?? [];
    expect(defaultPayloadConverter.fromPayload<OrderInput>(opened as Payload).address).toEqual(input.address);
  });

  it('an undeliverable order leaves neither postal code nor city in its failures; the codec reads them back', async () => {
    const shelf = await stockShelf(db.orm);
    const input = orderInput({
      items: [{ sku: shelf.mug, quantity: 1 }],
      address: { ...orderInput().address, postalCode: UNDELIVERABLE_POSTAL_CODE },
    });
    const handle = await client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    await reachStatus(handle, 'AWAITING_PAYMENT');
    // A refusal's message, encoded by the workflow's update validator, still reaches the API (temporal-orders.ts).
    const refused = await handle
      .executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod: ' ' }] })
      .catch((thrown: unknown) => thrown);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'INVALID_INPUT',
      message: 'paymentMethod is empty',
    });
    await handle.executeUpdate(ORDER_ACTIONS.pay.update, { args: [{ paymentMethod: 'tok_visa' }] });

    // The workflow still sees the business code and the message (findBusinessFailure), and the order's state,
    // a payload, carries the message to the client with the codec.
    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure).toMatchObject({ code: 'UNDELIVERABLE', step: 'ship' });
    expect(final.failure?.message).toContain(`postal code ${UNDELIVERABLE_POSTAL_CODE} (London)`);

    // Neither the postal code nor the city sits in clear anywhere: the shipment's ActivityTaskFailed, its
    // WorkflowExecutionFailed, the order's ChildWorkflowExecutionFailed, every cause they wrap.
    const histories = await rawHistories(input.orderId);
    const texts = [...histories.values()].flatMap(historyTexts);
    const postalCode = new RegExp(`\\b${UNDELIVERABLE_POSTAL_CODE}\\b`);
    expect(texts.filter((text) => postalCode.test(text) || text.includes('London'))).toEqual([]);
    for (const value of PERSONAL_DATA) expect(texts.filter((text) => text.includes(value))).toEqual([]);

    // The failures are there, their messages moved into encrypted attributes; the business code stays readable.
    const failures = failuresIn([...histories.values()]);
    const undeliverable = failures.filter(
      (failure) => failure.applicationFailureInfo?.type === 'UNDELIVERABLE',
    );
    expect(undeliverable.length).toBeGreaterThanOrEqual(3);
    for (const failure of failures) {
      expect(failure.message).toBe('Encoded failure');
      expect(failure.stackTrace ?? '').toBe('');
      expect(encodingOf(failure.encodedAttributes)).toBe(ENCRYPTED_ENCODING);
    }

    // The client with the codec reads the failures in full: the failed shipment's error chain down to the
    // carrier's refusal, with its message.
    const [failedShipment] = [...histories].find(
      ([id, history]) =>
        id !== input.orderId && history.events?.some((event) => event.workflowExecutionFailedEventAttributes),
    ) ?? [''];
    const error = await client.workflow
      .getHandle(failedShipment)
      .result()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const carrier = (error as WorkflowFailedError).cause?.cause;
    expect(carrier).toBeInstanceOf(ApplicationFailure);
    expect(carrier).toMatchObject({
      type: 'UNDELIVERABLE',
      message: `order ${input.orderId}: ${final.failure?.message}`,
    });
  });
});
