/** The simulated carrier: bookings with tracking numbers, undeliverable addresses, cancellations and returns. */
import { describe, expect, it } from 'vitest';
import type { Address } from '../../common/order';
import { useActivitiesOnTestDatabase } from '../support/database';

const suite = useActivitiesOnTestDatabase();

const ADDRESS: Address = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'Paris',
  postalCode: '75001',
  country: 'FR',
};
let orders = 0;
const newOrderId = () => `ship-${process.pid}-${++orders}`;

async function shipments(orderId: string) {
  return (await suite
    .db()
    .orm.em.getConnection()
    .execute('select warehouse, kind, status from shipment where order_id = ? order by id', [orderId])) as {
    warehouse: string;
    kind: string;
    status: string;
  }[];
}

describe('simulated carrier', () => {
  it('books one shipment per warehouse with a tracking number naming the warehouse', async () => {
    const orderId = newOrderId();
    const eu = await suite
      .activities()
      .createShipment({ orderId, warehouse: 'eu-west', lines: [], address: ADDRESS });
    const us = await suite
      .activities()
      .createShipment({ orderId, warehouse: 'us-east', lines: [], address: ADDRESS });
    expect(eu).toMatchObject({ warehouse: 'eu-west', status: 'CREATED' });
    expect(eu.trackingNumber).toMatch(/^OF-EU-WEST-[0-9A-F]{10}$/);
    expect(us.trackingNumber).toMatch(/^OF-US-EAST-[0-9A-F]{10}$/);
    expect(eu.id).not.toBe(us.id);
  });

  it('refuses postal code 00000 as undeliverable, without retry, and books nothing', async () => {
    const orderId = newOrderId();
    await expect(
      suite.activities().createShipment({
        orderId,
        warehouse: 'eu-west',
        lines: [],
        address: { ...ADDRESS, city: 'Nowhere', postalCode: '00000' },
      }),
    ).rejects.toMatchObject({
      type: 'UNDELIVERABLE',
      nonRetryable: true,
      message: expect.stringContaining(`order ${orderId}: ship`),
    });
    expect(await shipments(orderId)).toEqual([]);
  });

  it('cancels every outbound shipment of the order and leaves other orders alone', async () => {
    const orderId = newOrderId();
    const other = newOrderId();
    for (const warehouse of ['eu-west', 'us-east']) {
      await suite.activities().createShipment({ orderId, warehouse, lines: [], address: ADDRESS });
    }
    await suite
      .activities()
      .createShipment({ orderId: other, warehouse: 'eu-west', lines: [], address: ADDRESS });
    await expect(suite.activities().cancelShipments(orderId, ['eu-west', 'us-east'])).resolves.toBe(2);
    expect((await shipments(orderId)).map((row) => row.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect((await shipments(other)).map((row) => row.status)).toEqual(['CREATED']);
  });

  it('a booking that lands after the cancel (a timed-out attempt) books nothing', async () => {
    const orderId = newOrderId();
    await suite.activities().createShipment({ orderId, warehouse: 'eu-west', lines: [], address: ADDRESS });
    await expect(suite.activities().cancelShipments(orderId, ['eu-west', 'us-east'])).resolves.toBe(1);
    await suite.activities().createShipment({ orderId, warehouse: 'us-east', lines: [], address: ADDRESS });
    expect((await shipments(orderId)).map((row) => [row.warehouse, row.status])).toEqual([
      ['eu-west', 'CANCELLED'],
    ]);
  });

  it('books a return label from the returns desk', async () => {
    const orderId = newOrderId();
    const label = await suite.activities().createReturnShipment(orderId, ADDRESS);
    expect(label).toMatch(/^RET-RETURNS-[0-9A-F]{10}$/);
    expect(await shipments(orderId)).toEqual([{ warehouse: 'returns', kind: 'RETURN', status: 'CREATED' }]);
  });
});
