/** Stock under row locks on MariaDB: no oversell under contention, no deadlock, all-or-nothing orders. */
import { describe, expect, it } from 'vitest';
import { upsertProduct } from '../../worker/catalog';
import { useActivitiesOnTestDatabase } from '../support/database';
import { readLedger, stockShelf } from '../support/ledger';

const suite = useActivitiesOnTestDatabase();

describe('inventory under concurrency', () => {
  it('of 200 concurrent single-unit reservations on 100 units exactly 100 succeed and stock never goes below 0', async () => {
    const shelf = await stockShelf(suite.db().orm);
    await upsertProduct(suite.db().orm, {
      sku: shelf.mug,
      name: 'Mug',
      priceCents: 1500,
      stock: 100,
      discontinued: false,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, index) =>
        suite.activities().reserveStock(`hot-${process.pid}-${index}`, [{ sku: shelf.mug, quantity: 1 }]),
      ),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(results.length - refused.length).toBe(100);
    expect(refused.map((result) => (result as PromiseRejectedResult).reason.type)).toEqual(
      Array(100).fill('OUT_OF_STOCK'),
    );
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 0, reserved: 100, sold: 0 });
  });

  it('orders locking the same two SKUs from opposite ends do not deadlock', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        suite.activities().reserveStock(
          `pair-${process.pid}-${index}`,
          index % 2 === 0
            ? [
                { sku: shelf.mug, quantity: 1 },
                { sku: shelf.lamp, quantity: 1 },
              ]
            : [
                { sku: shelf.lamp, quantity: 1 },
                { sku: shelf.mug, quantity: 1 },
              ],
        ),
      ),
    );
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures.map((failure) => (failure as PromiseRejectedResult).reason.type)).toEqual(
      Array(15).fill('OUT_OF_STOCK'),
    );
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.lamp]).toEqual({ available: 0, reserved: 5, sold: 0 });
    expect(stock[shelf.mug]).toEqual({ available: 5, reserved: 5, sold: 0 });
  });
});

describe('business rules and refusals', () => {
  it('an order short on one SKU reserves none of its SKUs', async () => {
    const shelf = await stockShelf(suite.db().orm);
    await expect(
      suite.activities().reserveStock('short-1', [
        { sku: shelf.mug, quantity: 2 },
        { sku: shelf.lamp, quantity: 6 },
      ]),
    ).rejects.toMatchObject({ type: 'OUT_OF_STOCK', message: expect.stringContaining('5 left, 6 wanted') });
    const { stock } = await readLedger(suite.db().orm, 'short-1', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(stock[shelf.lamp]).toEqual({ available: 5, reserved: 0, sold: 0 });
  });

  it('prices an order from the catalogue and names the warehouse of each line', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const priced = await suite.activities().priceOrder('price-1', [{ sku: shelf.lamp, quantity: 2 }]);
    expect(priced).toEqual([
      { sku: shelf.lamp, quantity: 2, name: 'Lamp', unitPriceCents: 4000, warehouse: 'us-east' },
    ]);
  });

  it('refuses unknown and discontinued SKUs with their codes and the order id', async () => {
    const shelf = await stockShelf(suite.db().orm);
    await expect(
      suite.activities().priceOrder('price-2', [{ sku: 'NOPE', quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'UNKNOWN_SKU',
      message: expect.stringContaining('price-2'),
    });
    await expect(
      suite.activities().priceOrder('price-3', [{ sku: shelf.retired, quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'DISCONTINUED',
      nonRetryable: true,
    });
    await expect(
      suite.activities().reserveStock('price-4', [{ sku: 'NOPE', quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'UNKNOWN_SKU',
    });
  });

  it('declines tok_chargeDeclined and unknown payment methods without retry, and fails tok_flaky twice', async () => {
    await expect(suite.activities().chargePayment('pay-1', 100, 'tok_chargeDeclined')).rejects.toMatchObject({
      type: 'PAYMENT_DECLINED',
      nonRetryable: true,
    });
    await expect(suite.activities().chargePayment('pay-2', 100, 'tok_bogus')).rejects.toMatchObject({
      type: 'PAYMENT_DECLINED',
    });
    await expect(suite.activities().chargePayment('pay-3', 100, 'tok_flaky')).rejects.toThrow(
      /timed out \(attempt 1\)/,
    );
    await expect(suite.activities().chargePayment('pay-3', 100, 'tok_flaky')).rejects.toThrow(
      /timed out \(attempt 2\)/,
    );
    await expect(suite.activities().chargePayment('pay-3', 100, 'tok_flaky')).resolves.toMatch(/^ch_/);
  });

  it('the carrier refuses postal code 00000 as undeliverable', async () => {
    await expect(
      suite.activities().createShipment({
        orderId: 'ship-1',
        warehouse: 'eu-west',
        lines: [],
        address: { name: 'A', line1: 'B', city: 'Nowhere', postalCode: '00000', country: 'FR' },
      }),
    ).rejects.toMatchObject({ type: 'UNDELIVERABLE', nonRetryable: true });
  });
});
