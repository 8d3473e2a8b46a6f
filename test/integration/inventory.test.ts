/** Stock arithmetic and refusals on MariaDB: every move between available, reserved and sold, all-or-nothing orders. */
import { describe, expect, it } from 'vitest';
import { useActivitiesOnTestDatabase } from '../support/database';
import { readLedger, stockShelf } from '../support/ledger';

const suite = useActivitiesOnTestDatabase();

let orders = 0;
const newOrderId = () => `inv-${process.pid}-${++orders}`;

describe('stock arithmetic', () => {
  it('reserve moves units from available to reserved, commit from reserved to sold, restock from sold to available', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    const stockOf = async () => (await readLedger(suite.db().orm, orderId, shelf)).stock;

    await suite.activities().reserveStock(orderId, [
      { sku: shelf.mug, quantity: 3 },
      { sku: shelf.lamp, quantity: 2 },
    ]);
    expect(await stockOf()).toMatchObject({
      [shelf.mug]: { available: 7, reserved: 3, sold: 0 },
      [shelf.lamp]: { available: 3, reserved: 2, sold: 0 },
    });
    await suite.activities().commitSale(orderId);
    expect(await stockOf()).toMatchObject({
      [shelf.mug]: { available: 7, reserved: 0, sold: 3 },
      [shelf.lamp]: { available: 3, reserved: 0, sold: 2 },
    });
    await suite.activities().restockReturn(orderId);
    expect(await stockOf()).toMatchObject({
      [shelf.mug]: { available: 10, reserved: 0, sold: 0 },
      [shelf.lamp]: { available: 5, reserved: 0, sold: 0 },
    });
  });

  it('release gives the reserved units back to available', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity: 4 }]);
    await suite.activities().releaseStock(orderId);
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });

  it('two lines of the same SKU are reserved as their sum', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await suite.activities().reserveStock(orderId, [
      { sku: shelf.mug, quantity: 2 },
      { sku: shelf.mug, quantity: 3 },
    ]);
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 5,
      reserved: 5,
      sold: 0,
    });
  });

  it('a sale committed after its release moves nothing, and a restock of an unsold order moves nothing', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity: 1 }]);
    await suite.activities().releaseStock(orderId);
    await suite.activities().commitSale(orderId);
    await suite.activities().restockReturn(orderId);
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });

  it('a reserve that lands after its release (a timed-out attempt) takes nothing', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await suite.activities().releaseStock(orderId);
    await suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity: 2 }]);
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });
});

describe('reservations written together (one group-commit batch)', () => {
  it('are decided in arrival order, each all-or-nothing: a short one is refused, the ones after it still reserve', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const [first, short, unknown, last] = [newOrderId(), newOrderId(), newOrderId(), newOrderId()];
    const results = await Promise.allSettled([
      suite.activities().reserveStock(first, [{ sku: shelf.mug, quantity: 6 }]),
      suite.activities().reserveStock(short, [
        { sku: shelf.lamp, quantity: 1 },
        { sku: shelf.mug, quantity: 5 },
      ]),
      suite.activities().reserveStock(unknown, [
        { sku: shelf.lamp, quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ]),
      suite.activities().reserveStock(last, [
        { sku: shelf.mug, quantity: 4 },
        { sku: shelf.lamp, quantity: 5 },
      ]),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(results[1]).toMatchObject({
      reason: {
        type: 'OUT_OF_STOCK',
        message: `order ${short}: reserve: out of stock: ${shelf.mug} (4 left, 5 wanted)`,
      },
    });
    expect(results[2]).toMatchObject({
      reason: { type: 'UNKNOWN_SKU', message: `order ${unknown}: reserve: unknown sku NOPE` },
    });
    const ledger = await readLedger(suite.db().orm, 'none', shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 0, reserved: 10, sold: 0 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 0, reserved: 5, sold: 0 });
    // Each accepted order has its own lines: a release gives back exactly its units.
    await suite.activities().releaseStock(first);
    expect((await readLedger(suite.db().orm, 'none', shelf)).stock[shelf.mug]).toEqual({
      available: 6,
      reserved: 4,
      sold: 0,
    });
  });
});

describe('refusals', () => {
  it('an order short on one SKU reserves none of its SKUs', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await expect(
      suite.activities().reserveStock(orderId, [
        { sku: shelf.mug, quantity: 2 },
        { sku: shelf.lamp, quantity: 6 },
      ]),
    ).rejects.toMatchObject({
      type: 'OUT_OF_STOCK',
      nonRetryable: true,
      message: expect.stringContaining(
        `order ${orderId}: reserve: out of stock: ${shelf.lamp} (5 left, 6 wanted)`,
      ),
    });
    const { stock } = await readLedger(suite.db().orm, orderId, shelf);
    expect(stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(stock[shelf.lamp]).toEqual({ available: 5, reserved: 0, sold: 0 });
    // The refusal is not recorded: once restocked, the same order can reserve.
    await suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity: 2 }]);
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toMatchObject({
      reserved: 2,
    });
  });

  it('prices an order from the catalogue and names the warehouse of each line', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const priced = await suite.activities().priceOrder(newOrderId(), [{ sku: shelf.lamp, quantity: 2 }]);
    expect(priced).toEqual([
      { sku: shelf.lamp, quantity: 2, name: 'Lamp', unitPriceCents: 4000, warehouse: 'us-east' },
    ]);
  });

  it('refuses unknown SKUs with UNKNOWN_SKU when pricing and reserving, naming the order and step', async () => {
    await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    await expect(
      suite.activities().priceOrder(orderId, [{ sku: 'NOPE', quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'UNKNOWN_SKU',
      nonRetryable: true,
      message: `order ${orderId}: price: unknown sku NOPE`,
    });
    await expect(
      suite.activities().reserveStock(orderId, [{ sku: 'NOPE', quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'UNKNOWN_SKU',
      message: `order ${orderId}: reserve: unknown sku NOPE`,
    });
  });

  it('refuses a discontinued SKU with DISCONTINUED', async () => {
    const shelf = await stockShelf(suite.db().orm);
    await expect(
      suite.activities().priceOrder(newOrderId(), [{ sku: shelf.retired, quantity: 1 }]),
    ).rejects.toMatchObject({
      type: 'DISCONTINUED',
      nonRetryable: true,
    });
  });

  it.each([0, -1, 1.5])('refuses quantity %s with INVALID_ORDER and takes nothing', async (quantity) => {
    const shelf = await stockShelf(suite.db().orm);
    const orderId = newOrderId();
    for (const attempt of [
      suite.activities().priceOrder(orderId, [{ sku: shelf.mug, quantity }]),
      suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity }]),
    ]) {
      await expect(attempt).rejects.toMatchObject({ type: 'INVALID_ORDER', nonRetryable: true });
    }
    expect((await readLedger(suite.db().orm, orderId, shelf)).stock[shelf.mug]).toEqual({
      available: 10,
      reserved: 0,
      sold: 0,
    });
  });

  it('refuses an order without lines with INVALID_ORDER', async () => {
    await expect(suite.activities().reserveStock(newOrderId(), [])).rejects.toMatchObject({
      type: 'INVALID_ORDER',
    });
  });
});
