/**
 * Every side-effecting activity run twice with the same key (a retry after a lost response) changes the
 * database once and answers the same, against MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from '../../common/order';
import { createActivities } from '../../worker/activities';
import type { OrderActivities } from '../../worker/activities/contract';
import { createTestOrm, type TestDatabase } from '../support/database';
import { readLedger, type Shelf, stockShelf } from '../support/ledger';

let db: TestDatabase;
let activities: OrderActivities;

beforeAll(async () => {
  db = await createTestOrm();
  activities = createActivities({ orm: db.orm });
});
afterAll(() => db?.dispose());

const ADDRESS: Address = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
};
let orders = 0;
const newOrderId = () => `idem-${process.pid}-${++orders}`;

async function twice<T>(action: () => Promise<T>): Promise<[T, T]> {
  const first = await action();
  return [first, await action()];
}

async function reserved(shelf: Shelf, orderId: string) {
  await activities.reserveStock(orderId, [{ sku: shelf.mug, quantity: 3 }]);
}

describe('idempotent activities', () => {
  it('a repeated reserve takes the stock once', async () => {
    const shelf = await stockShelf(db.orm);
    const orderId = newOrderId();
    await twice(() => reserved(shelf, orderId));
    expect((await readLedger(db.orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 7,
      reserved: 3,
      sold: 0,
    });
  });

  it('a repeated reserve after the SKU ran out still answers reserved', async () => {
    const shelf = await stockShelf(db.orm);
    const orderId = newOrderId();
    await activities.reserveStock(orderId, [{ sku: shelf.lamp, quantity: 5 }]);
    await expect(
      activities.reserveStock(newOrderId(), [{ sku: shelf.lamp, quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'OUT_OF_STOCK',
    });
    await expect(
      activities.reserveStock(orderId, [{ sku: shelf.lamp, quantity: 5 }]),
    ).resolves.toBeUndefined();
    expect((await readLedger(db.orm, orderId, shelf)).stock[shelf.lamp]).toEqual({
      available: 0,
      reserved: 5,
      sold: 0,
    });
  });

  it('concurrent duplicates of one reserve take the stock once', async () => {
    const shelf = await stockShelf(db.orm);
    const orderId = newOrderId();
    await Promise.all(Array.from({ length: 5 }, () => reserved(shelf, orderId)));
    expect((await readLedger(db.orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 7,
      reserved: 3,
      sold: 0,
    });
  });

  it('a repeated release, commit and restock each move the stock once', async () => {
    const shelf = await stockShelf(db.orm);
    const released = newOrderId();
    await reserved(shelf, released);
    await twice(() => activities.releaseStock(released));
    expect((await readLedger(db.orm, released, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });

    const sold = newOrderId();
    await reserved(shelf, sold);
    await twice(() => activities.commitSale(sold));
    expect((await readLedger(db.orm, sold, shelf)).stock[shelf.mug]).toEqual({
      available: 7,
      reserved: 0,
      sold: 3,
    });
    await twice(() => activities.restockReturn(sold));
    expect((await readLedger(db.orm, sold, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });

  it('a repeated charge charges once and answers the same charge id; a repeated refund refunds once', async () => {
    const shelf = await stockShelf(db.orm);
    const orderId = newOrderId();
    const [first, second] = await twice(() => activities.chargePayment(orderId, 4500, 'tok_visa'));
    expect(second).toBe(first);
    const [refunded, refundedAgain] = await twice(() => activities.refundPayment(orderId));
    expect([refunded, refundedAgain]).toEqual([4500, 4500]);
    expect((await readLedger(db.orm, orderId, shelf)).charges).toEqual([
      { amountCents: 4500, refundedCents: 4500 },
    ]);
  });

  it('a refund of an order that was never charged refunds nothing', async () => {
    await expect(activities.refundPayment(newOrderId())).resolves.toBe(0);
  });

  it('repeated shipment bookings, cancellations and return labels happen once', async () => {
    const shelf = await stockShelf(db.orm);
    const orderId = newOrderId();
    const request = { orderId, warehouse: 'eu-west', lines: [], address: ADDRESS };
    const [booked, bookedAgain] = await twice(() => activities.createShipment(request));
    expect(bookedAgain).toEqual(booked);
    expect(booked.trackingNumber).toMatch(/^OF-[0-9A-F]{12}$/);
    expect(await twice(() => activities.cancelShipments(orderId))).toEqual([1, 1]);
    const [label, labelAgain] = await twice(() => activities.createReturnShipment(orderId, ADDRESS));
    expect(labelAgain).toBe(label);
    const { shipments } = await readLedger(db.orm, orderId, shelf);
    expect(shipments).toEqual([
      { kind: 'OUTBOUND', status: 'CANCELLED' },
      { kind: 'RETURN', status: 'CREATED' },
    ]);
  });

  it('a repeated notification is written to the outbox once', async () => {
    const shelf = await stockShelf(db.orm);
    const orderId = newOrderId();
    await twice(() => activities.sendNotification(orderId, 'c-1', 'ORDER_CONFIRMED', 'on its way'));
    expect((await readLedger(db.orm, orderId, shelf)).notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('the order list never goes back to an older version', async () => {
    const orderId = newOrderId();
    const at = new Date().toISOString();
    const summary = { orderId, customerId: 'c-1', totalCents: 100, createdAt: at, updatedAt: at };
    await activities.recordOrderSummary({ ...summary, status: 'SHIPPING', version: 7 });
    await activities.recordOrderSummary({ ...summary, status: 'CHARGING', version: 5 });
    const rows = (await db.orm.em
      .getConnection()
      .execute('select status, version from order_summary where order_id = ?', [orderId])) as {
      status: string;
      version: number;
    }[];
    expect(rows).toEqual([{ status: 'SHIPPING', version: 7 }]);
  });
});
