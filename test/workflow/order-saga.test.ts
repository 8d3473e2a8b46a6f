/**
 * The saga's story and every failure path, on a real Temporal dev server with the real activities against
 * MariaDB: each test checks the order's final status and what the database holds afterwards. The timers
 * (payment timeout, audit timeout, return window) are proven on the time-skipping server in timers.test.ts.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { getOrderQuery, ORDER_ACTIONS, ORDER_WORKFLOW } from '../../common/actions';
import { ORDER_STATUS_ATTRIBUTE } from '../../common/search-attributes';
import { upsertProduct } from '../../database/catalog';
import { readOrderSnapshot } from '../../database/order-snapshots';
import { createActivities } from '../../worker/activities';
import type { orderWorkflow } from '../../worker/workflows';
import { readLedger, stockShelf } from '../support/ledger';
import { useSagaHarness } from '../support/saga-harness';
import { orderInput, startDevServer } from '../support/temporal';

/** A short return window, so that a completed order's workflow closes and its result can be awaited. */
const TASK_QUEUE = 'order-saga-test';
const saga = useSagaHarness(TASK_QUEUE, startDevServer, { returnWindowMs: 1_000 });
const { place, placeAndAwaitPayment, reach, pay } = saga;

/** The activity a local activity's marker records, if the event is one. */
function localActivityOf(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const marker = event.markerRecordedEventAttributes;
  const data = marker?.details?.data?.payloads?.[0]?.data;
  if (marker?.markerName !== 'core_local_activity' || !data) return undefined;
  return JSON.parse(Buffer.from(data).toString()).activity_type;
}

describe('the order saga', () => {
  it('sells the stock, charges once and ships one parcel per warehouse with tracking numbers', async () => {
    const shelf = await stockShelf(saga.db().orm);
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

    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 4, reserved: 0, sold: 1 });
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 0 }]);
    expect(ledger.shipments.filter((s) => s.status === 'CREATED')).toHaveLength(2);
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('sells the stock and writes its confirmation to the outbox in one local activity', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    await pay(handle, 'tok_visa');
    await handle.result();
    const localActivities = ((await handle.fetchHistory()).events ?? []).flatMap((event) => {
      const activity = localActivityOf(event);
      return activity ? [activity] : [];
    });
    expect(localActivities.filter((activity) => activity !== 'recordOrderSnapshot')).toEqual([
      'priceOrder',
      'reserveStock',
      'confirmSale',
    ]);
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('records one patch marker for all its workflow changes, and its status attribute only where it rests', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    await pay(handle, 'tok_visa');
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const markers = events.filter((event) => event.markerRecordedEventAttributes);
    const patches = markers.filter(
      (event) => event.markerRecordedEventAttributes?.markerName === 'core_patch',
    );
    expect(patches).toHaveLength(1);
    const firstCommand = events.findIndex((event) => event.workflowTaskCompletedEventAttributes) + 1;
    expect(events[firstCommand]).toBe(patches[0]);
    // The rest are the local activities' markers: the order's writes and its notification.
    expect(markers.length - patches.length).toBeGreaterThan(5);

    const upserted = events.flatMap((event) => {
      const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
      return fields ? [fields] : [];
    });
    const upserts = upserted.map((fields) => Object.keys(fields).sort().join('+'));
    const statuses = upserted.flatMap((fields) => {
      const data = fields[ORDER_STATUS_ATTRIBUTE.name]?.data;
      return data ? [JSON.parse(Buffer.from(data).toString())] : [];
    });
    // The patch's own TemporalChangeVersion, then the two statuses it rested in; none for the steps between.
    expect(upserts).toEqual(['TemporalChangeVersion', 'CustomerId+OrderStatus', 'CustomerId+OrderStatus']);
    expect(statuses).toEqual(['AWAITING_PAYMENT', 'COMPLETED']);
  });

  it('writes its whole state to the order table before each wait, in one write per stretch, the last one marked as the end', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    const waiting = await handle.query(getOrderQuery);
    expect(await readOrderSnapshot(saga.db().orm, handle.workflowId)).toEqual(waiting);

    const afterPay = await pay(handle, 'tok_visa');
    const stored = await readOrderSnapshot(saga.db().orm, handle.workflowId);
    expect(stored?.version).toBeGreaterThanOrEqual(afterPay.version);

    const final = await handle.result();
    expect(final.ended).toBe(true);
    expect(await readOrderSnapshot(saga.db().orm, handle.workflowId)).toEqual(final);
    // Before awaiting payment, the charge, the shipments and the return window, and at the end: five writes for its
    // ten changes.
    const writes = ((await handle.fetchHistory()).events ?? []).filter(
      (event) => localActivityOf(event) === 'recordOrderSnapshot',
    );
    expect(writes).toHaveLength(5);
    expect(final.timeline).toHaveLength(10);
  });

  it('keeps the OrderStatus and CustomerId search attributes current, so operators can list orders by them', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const customerId = `searcher-${process.pid}-${Date.now()}`;
    const handle = await placeAndAwaitPayment(shelf, { customerId });
    const statusAttribute = async () =>
      (await handle.describe()).typedSearchAttributes.get(ORDER_STATUS_ATTRIBUTE);
    expect(await statusAttribute()).toBe('AWAITING_PAYMENT');
    await pay(handle, 'tok_visa');
    await handle.result();
    expect(await statusAttribute()).toBe('COMPLETED');

    const query = `CustomerId = '${customerId}' AND OrderStatus = 'COMPLETED'`;
    const listed: string[] = [];
    // Visibility is eventually consistent: the list may lag the workflow for a moment.
    for (let attempt = 0; attempt < 50 && listed.length === 0; attempt += 1) {
      for await (const workflow of saga.env().client.workflow.list({ query }))
        listed.push(workflow.workflowId);
      if (listed.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(listed).toEqual([handle.workflowId]);
  });

  it('rejects an order that staff reject in the audit', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await place(shelf, { flagged: true });
    await reach(handle, 'AWAITING_AUDIT');
    const answer = await handle.executeUpdate(ORDER_ACTIONS.audit.update, {
      args: [{ approve: false, reason: 'card country mismatch' }],
    });
    expect(answer.status).toBe('REJECTED');

    const final = await handle.result();
    expect(final.failure).toMatchObject({ code: 'AUDIT_REJECTED', step: 'audit' });
    expect(final.failure?.message).toContain('card country mismatch');
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).stock[shelf.mug]?.available).toBe(10);
  });

  it('goes on to reserve and await payment once an audit approves the order', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await place(shelf, { flagged: true });
    await reach(handle, 'AWAITING_AUDIT');
    const answer = await handle.executeUpdate(ORDER_ACTIONS.audit.update, { args: [{ approve: true }] });
    expect(answer.status).toBe('AWAITING_PAYMENT');
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).stock[shelf.mug]).toEqual({
      available: 8,
      reserved: 2,
      sold: 0,
    });
    await handle.executeUpdate(ORDER_ACTIONS.cancel.update, { args: [{ reason: 'changed my mind' }] });
  });

  it('fails an order for more than is in stock and changes no stock at all', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await place(shelf, {
      items: [
        { sku: shelf.mug, quantity: 1 },
        { sku: shelf.lamp, quantity: 6 },
      ],
    });

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure).toMatchObject({ code: 'OUT_OF_STOCK', step: 'reserve' });
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 5, reserved: 0, sold: 0 });
  });

  it('fails an order for a discontinued item before reserving anything', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await place(shelf, {
      items: [
        { sku: shelf.mug, quantity: 1 },
        { sku: shelf.retired, quantity: 1 },
      ],
    });

    const final = await handle.result();
    expect(final.failure).toMatchObject({ code: 'DISCONTINUED', step: 'validate' });
    expect(final.status).toBe('FAILED');
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).stock[shelf.mug]?.available).toBe(10);
  });

  it('fails an order with a bad quantity or an empty address line without calling anything', async () => {
    const shelf = await stockShelf(saga.db().orm);
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
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    const answer = await pay(handle, 'tok_chargeDeclined');
    expect(answer.failure?.code).toBe('PAYMENT_DECLINED');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    // The order's own failure names the step and the reason, without repeating the order's id.
    expect(final.failure?.message).toBe('charge: payment declined: the card was declined');
    expect(final.payment.status).toBe('DECLINED');
    expect(final.timeline.map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['undo:payment', 'undo:reserve']),
    );
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.charges).toEqual([]);
    expect(ledger.notifications).toEqual(['ORDER_FAILED']);
  });

  it('an undeliverable address refunds the charge, cancels the shipments and releases the stock, in reverse order', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const input = orderInput();
    const handle = await placeAndAwaitPayment(shelf, { address: { ...input.address, postalCode: '00000' } });
    await pay(handle, 'tok_visa');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure).toMatchObject({ code: 'UNDELIVERABLE', step: 'ship' });
    const undos = final.timeline.map((entry) => entry.step).filter((step) => step?.startsWith('undo:'));
    expect(undos).toEqual(['undo:ship', 'undo:payment', 'undo:reserve']);
    expect(final.payment).toMatchObject({ status: 'REFUNDED', refundedCents: 7000 });

    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 7000 }]);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.shipments.filter((s) => s.status !== 'CANCELLED')).toEqual([]);
  });

  it('a workflow cancelled through Temporal undoes its steps and leaves its last state in the order table', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();

    const stored = await readOrderSnapshot(saga.db().orm, handle.workflowId);
    expect(stored).toMatchObject({ ended: true, status: 'FAILED', reservation: { status: 'RELEASED' } });
    // Its version, not its whole state: the closed workflow is replayed to answer, and a timeline entry made after a
    // local activity in the same workflow task carries the task's start on replay, not the time the worker saw then.
    expect(stored?.version).toBe((await handle.query(getOrderQuery)).version);
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });

  it('a customer cancel while awaiting payment releases the stock; after payment cancel is refused', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    const answer = await handle.executeUpdate(ORDER_ACTIONS.cancel.update, {
      args: [{ reason: 'ordered by mistake' }],
    });
    expect(answer.status).toBe('CANCELLED');
    expect(answer.failure).toMatchObject({ code: 'CANCELLED_BY_CUSTOMER', message: 'ordered by mistake' });
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });

    const paid = await placeAndAwaitPayment(shelf);
    await pay(paid, 'tok_visa');
    await expect(paid.executeUpdate(ORDER_ACTIONS.cancel.update, { args: [{}] })).rejects.toMatchObject({
      cause: { type: 'NOT_CANCELLABLE' },
    });
    expect((await paid.result()).status).toBe('COMPLETED');
  });

  it('a cancel taken in the first workflow task, after a lost task had already reserved, releases that stock', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const input = orderInput({ items: [{ sku: shelf.mug, quantity: 2 }] });
    // What a workflow task lost with its worker leaves behind: the reservation, made under the order's key.
    await createActivities({ orm: saga.db().orm }).reserveStock(input.orderId, input.items);
    const start = new WithStartWorkflowOperation<typeof orderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue: TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    const answer = await saga.env().client.workflow.executeUpdateWithStart(ORDER_ACTIONS.cancel.update, {
      args: [{ reason: 'changed my mind' }],
      startWorkflowOperation: start,
    });
    expect(answer.status).toBe('CANCELLED');
    expect(answer.reservation.status).toBe('RELEASED');
    const ledger = await readLedger(saga.db().orm, input.orderId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('an order refused at pricing, after a lost task had already reserved, releases that stock', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const input = orderInput({ items: [{ sku: shelf.mug, quantity: 2 }] });
    // A workflow task lost with its worker reserved; the mug was discontinued before the task ran again.
    await createActivities({ orm: saga.db().orm }).reserveStock(input.orderId, input.items);
    await upsertProduct(saga.db().orm, {
      sku: shelf.mug,
      name: 'Mug',
      priceCents: 1500,
      stock: 8,
      discontinued: true,
    });
    const handle = await saga.env().client.workflow.start<typeof orderWorkflow>(ORDER_WORKFLOW, {
      workflowId: input.orderId,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.escalations).toEqual([]);
    const ledger = await readLedger(saga.db().orm, input.orderId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('a return within the window, once approved, refunds in full and restocks', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf, { settings: { returnWindowMs: 10 * 60_000 } });
    await pay(handle, 'tok_visa');
    await reach(handle, 'COMPLETED');
    const requested = await handle.executeUpdate(ORDER_ACTIONS.requestReturn.update, {
      args: [{ reason: 'too small' }],
    });
    expect(requested.status).toBe('RETURN_REQUESTED');
    const approved = await handle.executeUpdate(ORDER_ACTIONS.approveReturn.update, {
      args: [{ approve: true }],
    });
    expect(approved.status).toBe('RETURNED');

    const final = await handle.result();
    expect(final.payment).toMatchObject({ status: 'REFUNDED', refundedCents: 7000 });
    expect(final.shipments.every((s) => s.status === 'RETURNED')).toBe(true);
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 7000 }]);
    expect(ledger.shipments.filter((s) => s.kind === 'RETURN')).toHaveLength(1);
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED', 'ORDER_RETURNED']);
  });

  it('charges a flaky card exactly once after its transient failures', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    const answer = await pay(handle, 'tok_flaky');
    expect(answer.payment.status).toBe('CHARGED');
    expect((await handle.result()).status).toBe('COMPLETED');
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).charges).toEqual([
      { amountCents: 7000, refundedCents: 0 },
    ]);
  });

  it('answers a retried pay with the same request id once, charging once', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    const first = await handle.executeUpdate(ORDER_ACTIONS.pay.update, {
      args: [{ paymentMethod: 'tok_visa' }],
      updateId: 'req-1',
    });
    const retry = await handle.executeUpdate(ORDER_ACTIONS.pay.update, {
      args: [{ paymentMethod: 'tok_visa' }],
      updateId: 'req-1',
    });
    expect(retry.version).toBe(first.version);
    await handle.result();
    expect((await readLedger(saga.db().orm, handle.workflowId, shelf)).charges).toHaveLength(1);
  });

  it('refuses an action the order cannot take now and writes nothing to its history', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);
    await expect(
      handle.executeUpdate(ORDER_ACTIONS.audit.update, { args: [{ approve: true }] }),
    ).rejects.toMatchObject({
      cause: { type: 'NOT_AWAITING_AUDIT' },
    });
    await expect(pay(handle, ' ')).rejects.toMatchObject({ cause: { type: 'INVALID_INPUT' } });
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    await handle.executeUpdate(ORDER_ACTIONS.cancel.update, { args: [{}] });
    const accepted = (await handle.fetchHistory()).events ?? [];
    expect(accepted.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
  });
});
