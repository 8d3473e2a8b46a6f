/**
 * Every side-effecting activity run twice with the same key (a retry after a lost response) changes the
 * database once and answers the same, against MariaDB.
 */
import { describe, expect, it } from 'vitest';
import type { Address, OrderStatus } from '../../common/order';
import { useActivitiesOnTestDatabase } from '../support/database';
import { readLedger, type Shelf, stockShelf, twice } from '../support/ledger';

const suite = useActivitiesOnTestDatabase();

const ADDRESS: Address = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
};
let orders = 0;
const newOrderId = () => `idem-${process.pid}-${++orders}`;

async function reserved(shelf: Shelf, orderId: string) {
  await suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity: 3 }]);
}

describe('idempotent activities', () => {
  it('a repeated reserve takes the stock once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await twice(() => reserved(shelf, orderId));
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 7,
      reserved: 3,
      sold: 0,
    });
  });

  it('a repeated reserve after the SKU ran out still answers reserved', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await suite.activities().reserveStock(orderId, [{ sku: shelf.lamp, quantity: 5 }]);
    await expect(
      suite.activities().reserveStock(newOrderId(), [{ sku: shelf.lamp, quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'OUT_OF_STOCK',
    });
    await expect(
      suite.activities().reserveStock(orderId, [{ sku: shelf.lamp, quantity: 5 }]),
    ).resolves.toBeUndefined();
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.lamp]).toEqual({
      available: 0,
      reserved: 5,
      sold: 0,
    });
  });

  it('concurrent duplicates of one reserve take the stock once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await Promise.all(Array.from({ length: 5 }, () => reserved(shelf, orderId)));
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 7,
      reserved: 3,
      sold: 0,
    });
  });

  it('a repeated release, commit and restock each move the stock once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const released = newOrderId();
    await reserved(shelf, released);
    await twice(() => suite.activities().releaseStock(released));
    expect((await readLedger(suite.db().orm, released, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });

    const sold = newOrderId();
    await reserved(shelf, sold);
    await twice(() => suite.activities().commitSale(sold));
    expect((await readLedger(suite.db().orm, sold, shelf)).stock[shelf.mug]).toEqual({
      available: 7,
      reserved: 0,
      sold: 3,
    });
    await twice(() => suite.activities().restockReturn(sold));
    expect((await readLedger(suite.db().orm, sold, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });

  it('a repeated charge charges once and answers the same charge id; a repeated refund refunds once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    const [first, second] = await twice(() => suite.activities().chargePayment(orderId, 4500, 'tok_visa'));
    expect(second).toBe(first);
    const [refunded, refundedAgain] = await twice(() => suite.activities().refundPayment(orderId));
    expect([refunded, refundedAgain]).toEqual([4500, 4500]);
    expect((await readLedger(suite.db().orm, orderId, shelf)).charges).toEqual([
      { amountCents: 4500, refundedCents: 4500 },
    ]);
  });

  it('a refund of an order that was never charged refunds nothing', async () => {
    await expect(suite.activities().refundPayment(newOrderId())).resolves.toBe(0);
  });

  it('repeated shipment bookings, cancellations and return labels happen once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    const request = { orderId, warehouse: 'eu-west', lines: [], address: ADDRESS };
    const [booked, bookedAgain] = await twice(() => suite.activities().createShipment(request));
    expect(bookedAgain).toEqual(booked);
    expect(booked.trackingNumber).toMatch(/^OF-EU-WEST-[0-9A-F]{10}$/);
    expect(await twice(() => suite.activities().cancelShipments(orderId, ['eu-west']))).toEqual([1, 1]);
    const [label, labelAgain] = await twice(() => suite.activities().createReturnShipment(orderId, ADDRESS));
    expect(labelAgain).toBe(label);
    const { shipments } = await readLedger(suite.db().orm, orderId, shelf);
    expect(shipments).toEqual([
      { kind: 'OUTBOUND', status: 'CANCELLED' },
      { kind: 'RETURN', status: 'CREATED' },
    ]);
  });

  it('a repeated notification is written to the outbox once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await twice(() => suite.activities().sendNotification(orderId, 'c-1', 'ORDER_CONFIRMED', 'on its way'));
    expect((await readLedger(suite.db().orm, orderId, shelf)).notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('a repeated sale confirmation sells once and writes its confirmation to the outbox once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await reserved(shelf, orderId);
    await twice(() => suite.activities().confirmSale(orderId, 'c-1', 'on its way'));
    const ledger = await readLedger(suite.db().orm, orderId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 7, reserved: 0, sold: 3 });
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('the order list never goes back to an older version', async () => {
    const orderId = newOrderId();
    const at = new Date().toISOString();
    const summary = { orderId, customerId: 'c-1', totalCents: 100, createdAt: at, updatedAt: at };
    await suite.activities().recordOrderSummary({ ...summary, status: 'SHIPPING', version: 7 });
    await suite.activities().recordOrderSummary({ ...summary, status: 'CHARGING', version: 5 });
    const rows = (await suite
      .db()
      .orm.em.getConnection()
      .execute('select status, version from order_summary where order_id = ?', [orderId])) as {
      status: string;
      version: number;
    }[];
    expect(rows).toEqual([{ status: 'SHIPPING', version: 7 }]);
  });

  it('rows written at the same moment (one transaction) end at the newest version of each order', async () => {
    const at = new Date().toISOString();
    const [fresh, written] = [newOrderId(), newOrderId()];
    const summary = (orderId: string, status: OrderStatus, version: number) => ({
      orderId,
      customerId: 'c-1',
      totalCents: 100,
      createdAt: at,
      updatedAt: at,
      status,
      version,
    });
    await suite.activities().recordOrderSummary(summary(written, 'SHIPPING', 7));
    await Promise.all([
      suite.activities().recordOrderSummary(summary(fresh, 'CHARGING', 5)),
      suite.activities().recordOrderSummary(summary(fresh, 'RESERVING', 3)),
      suite.activities().recordOrderSummary(summary(written, 'CHARGING', 5)),
      suite.activities().recordOrderSummary(summary(written, 'COMPLETED', 9)),
    ]);
    const rows = await suite
      .db()
      .orm.em.getConnection()
      .execute(
        'select order_id, status, version from order_summary where order_id in (?, ?) order by version',
        [fresh, written],
      );
    expect(rows).toEqual([
      { order_id: fresh, status: 'CHARGING', version: 5 },
      { order_id: written, status: 'COMPLETED', version: 9 },
    ]);
  });

  it('the same version written again (a task re-run after its worker was lost) replaces the earlier write', async () => {
    const orderId = newOrderId();
    const at = '2026-11-27T10:00:00.000Z';
    const summary = { orderId, customerId: 'c-1', totalCents: 100, createdAt: at, updatedAt: at };
    await suite.activities().recordOrderSummary({ ...summary, status: 'RESERVING', version: 3 });
    const rerun = '2026-11-27T10:00:05.000Z';
    await suite
      .activities()
      .recordOrderSummary({ ...summary, updatedAt: rerun, status: 'RESERVING', version: 3 });
    const [row] = (await suite
      .db()
      .orm.em.getConnection()
      .execute('select version, updated_at from order_summary where order_id = ?', [orderId])) as {
      version: number;
      updated_at: Date;
    }[];
    expect(row?.version).toBe(3);
    expect(new Date(row?.updated_at ?? 0).getTime()).toBe(new Date(rerun).getTime());
  });
});
