/**
 * The saga's story and every failure path, on the time-skipping test server (a 30-minute timer passes
 * in milliseconds) with the real activities against MariaDB: each test checks the order's final
 * status and what the database holds afterwards.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveReturnUpdate,
  auditUpdate,
  cancelUpdate,
  getOrderQuery,
  ORDER_WORKFLOW,
  payUpdate,
  requestReturnUpdate,
} from '../../common/actions';
import type { OrderInput, OrderState, OrderStatus } from '../../common/order';
import { createActivities } from '../../worker/activities';
import { createTestOrm, type TestDatabase } from '../support/database';
import { readLedger, type Shelf, stockShelf } from '../support/ledger';
import { orderInput, startTimeSkippingServer, startWorker, TEST_SETTINGS } from '../support/temporal';

const TASK_QUEUE = 'order-saga-test';
let env: TestWorkflowEnvironment;
let db: TestDatabase;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  [env, db] = await Promise.all([startTimeSkippingServer(), createTestOrm()]);
  worker = await startWorker(env, TASK_QUEUE, createActivities({ orm: db.orm }));
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await db?.dispose();
});

async function place(shelf: Shelf, overrides: Partial<OrderInput> = {}) {
  const input = orderInput({
    items: [
      { sku: shelf.mug, quantity: 2 },
      { sku: shelf.lamp, quantity: 1 },
    ],
    ...overrides,
  });
  return env.client.workflow.start(ORDER_WORKFLOW, {
    workflowId: input.orderId,
    taskQueue: TASK_QUEUE,
    args: [input],
  });
}

type Handle = Awaited<ReturnType<typeof place>>;

/** Polls in real time: the server only skips time while a test awaits a workflow result. */
async function reach(handle: Handle, status: OrderStatus): Promise<OrderState> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const state = await handle.query(getOrderQuery);
    if (state.status === status) return state;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`order ${handle.workflowId} never reached ${status}`);
}

async function placeAndAwaitPayment(shelf: Shelf, overrides: Partial<OrderInput> = {}) {
  const handle = await place(shelf, overrides);
  await reach(handle, 'AWAITING_PAYMENT');
  return handle;
}

const pay = (handle: Handle, paymentMethod: string) =>
  handle.executeUpdate(payUpdate, { args: [{ paymentMethod }] });

describe('the order saga', () => {
  it('sells the stock, charges once and ships one parcel per warehouse with tracking numbers', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    const afterPay = await pay(handle, 'tok_visa');
    expect(afterPay.payment.status).toBe('CHARGED');

    const final = await handle.result();
    expect(final.status).toBe('COMPLETED');
    expect(final.failure).toBeNull();
    expect(final.totalCents).toBe(2 * 1500 + 4000);
    expect(final.shipments.map((s) => s.warehouse).sort()).toEqual(['eu-west', 'us-east']);
    expect(final.shipments.every((s) => s.trackingNumber.length > 0)).toBe(true);
    expect(final.timeline.map((entry) => entry.version)).toEqual(final.timeline.map((_, index) => index + 1));

    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 4, reserved: 0, sold: 1 });
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 0 }]);
    expect(ledger.shipments.filter((s) => s.status === 'CREATED')).toHaveLength(2);
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('cancels an unpaid order after the 30-minute payment timeout and releases its stock', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);

    const final = await handle.result();
    expect(final.status).toBe('CANCELLED');
    expect(final.failure?.code).toBe('PAYMENT_TIMEOUT');
    const waited = final.timeline.find((entry) => entry.status === 'AWAITING_PAYMENT');
    const cancelled = final.timeline.at(-1);
    expect(Date.parse(cancelled?.at ?? '') - Date.parse(waited?.at ?? '')).toBeGreaterThanOrEqual(
      30 * 60_000,
    );

    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.charges).toEqual([]);
  });

  it('rejects an order whose audit never comes once the audit timeout passes, touching no stock', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await place(shelf, { settings: { ...TEST_SETTINGS, auditThresholdCents: 5000 } });
    await reach(handle, 'AWAITING_AUDIT');

    const final = await handle.result();
    expect(final.status).toBe('REJECTED');
    expect(final.failure?.code).toBe('AUDIT_TIMEOUT');
    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('rejects an order that staff reject in the audit', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await place(shelf, { flagged: true });
    await reach(handle, 'AWAITING_AUDIT');
    const answer = await handle.executeUpdate(auditUpdate, {
      args: [{ approve: false, reason: 'card country mismatch' }],
    });
    expect(answer.status).toBe('REJECTED');

    const final = await handle.result();
    expect(final.failure).toMatchObject({ code: 'AUDIT_REJECTED', step: 'audit' });
    expect(final.failure?.message).toContain('card country mismatch');
    expect((await readLedger(db.orm, handle.workflowId, shelf)).stock[shelf.mug]?.available).toBe(10);
  });

  it('goes on to reserve and await payment once an audit approves the order', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await place(shelf, { flagged: true });
    await reach(handle, 'AWAITING_AUDIT');
    const answer = await handle.executeUpdate(auditUpdate, { args: [{ approve: true }] });
    expect(answer.status).toBe('AWAITING_PAYMENT');
    expect((await readLedger(db.orm, handle.workflowId, shelf)).stock[shelf.mug]).toEqual({
      available: 8,
      reserved: 2,
      sold: 0,
    });
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'changed my mind' }] });
  });

  it('fails an order for more than is in stock and changes no stock at all', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await place(shelf, {
      items: [
        { sku: shelf.mug, quantity: 1 },
        { sku: shelf.lamp, quantity: 6 },
      ],
    });

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure).toMatchObject({ code: 'OUT_OF_STOCK', step: 'reserve' });
    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 5, reserved: 0, sold: 0 });
  });

  it('fails an order for a discontinued item before reserving anything', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await place(shelf, {
      items: [
        { sku: shelf.mug, quantity: 1 },
        { sku: shelf.retired, quantity: 1 },
      ],
    });

    const final = await handle.result();
    expect(final.failure).toMatchObject({ code: 'DISCONTINUED', step: 'validate' });
    expect(final.status).toBe('FAILED');
    expect((await readLedger(db.orm, handle.workflowId, shelf)).stock[shelf.mug]?.available).toBe(10);
  });

  it('fails an order with a bad quantity or an empty address line without calling anything', async () => {
    const shelf = await stockShelf(db.orm);
    const input = orderInput();
    const handle = await place(shelf, {
      items: [{ sku: shelf.mug, quantity: 0 }],
      address: { ...input.address, city: ' ' },
    });
    const final = await handle.result();
    expect(final.failure?.code).toBe('INVALID_ORDER');
    expect(final.failure?.message).toMatch(/items\.0\.quantity.*address\.city/);
  });

  it('a declined payment releases the reserved stock and charges nothing', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    const answer = await pay(handle, 'tok_chargeDeclined');
    expect(answer.failure?.code).toBe('PAYMENT_DECLINED');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.payment.status).toBe('DECLINED');
    expect(final.timeline.map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['undo:payment', 'undo:reserve']),
    );
    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.charges).toEqual([]);
    expect(ledger.notifications).toEqual(['ORDER_FAILED']);
  });

  it('an undeliverable address refunds the charge, cancels the shipments and releases the stock, in reverse order', async () => {
    const shelf = await stockShelf(db.orm);
    const input = orderInput();
    const handle = await placeAndAwaitPayment(shelf, { address: { ...input.address, postalCode: '00000' } });
    await pay(handle, 'tok_visa');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure).toMatchObject({ code: 'UNDELIVERABLE', step: 'ship' });
    const undos = final.timeline.map((entry) => entry.step).filter((step) => step?.startsWith('undo:'));
    expect(undos).toEqual(['undo:ship', 'undo:payment', 'undo:reserve']);
    expect(final.payment).toMatchObject({ status: 'REFUNDED', refundedCents: 7000 });

    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 7000 }]);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.shipments.filter((s) => s.status !== 'CANCELLED')).toEqual([]);
  });

  it('a customer cancel while awaiting payment releases the stock; after payment cancel is refused', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    const answer = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'ordered by mistake' }] });
    expect(answer.status).toBe('CANCELLED');
    expect(answer.failure).toMatchObject({ code: 'CANCELLED_BY_CUSTOMER', message: 'ordered by mistake' });
    expect((await readLedger(db.orm, handle.workflowId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });

    const paid = await placeAndAwaitPayment(shelf);
    await pay(paid, 'tok_visa');
    await expect(paid.executeUpdate(cancelUpdate, { args: [{}] })).rejects.toMatchObject({
      cause: { type: 'NOT_CANCELLABLE' },
    });
    expect((await paid.result()).status).toBe('COMPLETED');
  });

  it('a return within the window, once approved, refunds in full and restocks', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    await pay(handle, 'tok_visa');
    await reach(handle, 'COMPLETED');
    const requested = await handle.executeUpdate(requestReturnUpdate, { args: [{ reason: 'too small' }] });
    expect(requested.status).toBe('RETURN_REQUESTED');
    const approved = await handle.executeUpdate(approveReturnUpdate, { args: [{ approve: true }] });
    expect(approved.status).toBe('RETURNED');

    const final = await handle.result();
    expect(final.payment).toMatchObject({ status: 'REFUNDED', refundedCents: 7000 });
    expect(final.shipments.every((s) => s.status === 'RETURNED')).toBe(true);
    const ledger = await readLedger(db.orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 7000 }]);
    expect(ledger.shipments.filter((s) => s.kind === 'RETURN')).toHaveLength(1);
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED', 'ORDER_RETURNED']);
  });

  it('refuses a return once the return window has closed', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf, {
      settings: { ...TEST_SETTINGS, returnWindowMs: 60_000 },
    });
    await pay(handle, 'tok_visa');
    const final = await handle.result();
    expect(final.timeline.at(-1)?.message).toBe('return window closed');
    await expect(handle.executeUpdate(requestReturnUpdate, { args: [{ reason: 'late' }] })).rejects.toThrow();
  });

  it('charges a flaky card exactly once after its transient failures', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    const answer = await pay(handle, 'tok_flaky');
    expect(answer.payment.status).toBe('CHARGED');
    expect((await handle.result()).status).toBe('COMPLETED');
    expect((await readLedger(db.orm, handle.workflowId, shelf)).charges).toEqual([
      { amountCents: 7000, refundedCents: 0 },
    ]);
  });

  it('answers a retried pay with the same request id once, charging once', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    const first = await handle.executeUpdate(payUpdate, {
      args: [{ paymentMethod: 'tok_visa' }],
      updateId: 'req-1',
    });
    const retry = await handle.executeUpdate(payUpdate, {
      args: [{ paymentMethod: 'tok_visa' }],
      updateId: 'req-1',
    });
    expect(retry.version).toBe(first.version);
    await handle.result();
    expect((await readLedger(db.orm, handle.workflowId, shelf)).charges).toHaveLength(1);
  });

  it('refuses an action the order cannot take now and writes nothing to its history', async () => {
    const shelf = await stockShelf(db.orm);
    const handle = await placeAndAwaitPayment(shelf);
    const before = (await handle.fetchHistory()).events?.length ?? 0;
    await expect(handle.executeUpdate(auditUpdate, { args: [{ approve: true }] })).rejects.toMatchObject({
      cause: { type: 'NOT_AWAITING_AUDIT' },
    });
    await expect(pay(handle, ' ')).rejects.toMatchObject({ cause: { type: 'INVALID_INPUT' } });
    expect((await handle.fetchHistory()).events?.length ?? 0).toBe(before);
    await handle.executeUpdate(cancelUpdate, { args: [{}] });
  });
});
