/** Stock under row locks on MariaDB: no oversell under contention, no deadlock between orders locking SKUs from opposite ends. */
import { describe, expect, it } from 'vitest';
import { upsertProduct } from '../../database/catalog';
import { openOrm } from '../../database/orm';
import { createActivities } from '../../worker/activities';
import type { OrderActivities } from '../../worker/activities/contract';
import { useActivitiesOnTestDatabase } from '../support/database';
import { readLedger, stockShelf } from '../support/ledger';

const suite = useActivitiesOnTestDatabase();

/** Runs `body` with `count` workers' activities on the test database, each with its own connection pool and batches. */
async function withWorkers<T>(count: number, body: (workers: OrderActivities[]) => Promise<T>): Promise<T> {
  const orms = await Promise.all(
    Array.from({ length: count }, () => openOrm({ databaseUrl: suite.db().databaseUrl, sqlitePath: '' })),
  );
  try {
    return await body(orms.map((orm) => createActivities({ orm })));
  } finally {
    await Promise.all(orms.map((orm) => orm.close(true)));
  }
}

function failureTypes(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.flatMap((result) => (result.status === 'rejected' ? [result.reason.type] : []));
}

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
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(100);
    expect(failureTypes(results)).toEqual(Array(100).fill('OUT_OF_STOCK'));
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 0, reserved: 100, sold: 0 });
    const [lines] = (await suite
      .db()
      .orm.em.getConnection()
      .execute("select count(*) as n from reservation_line where sku = ? and status = 'RESERVED'", [
        shelf.mug,
      ])) as { n: number }[];
    expect(Number(lines?.n)).toBe(100);
  });

  it('four workers (own connection pools, own batches) reserving one SKU sell each unit once', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const results = await withWorkers(4, (workers) =>
      Promise.allSettled(
        Array.from({ length: 40 }, (_, index) =>
          workers[index % workers.length]?.reserveStock(`workers-${process.pid}-${index}`, [
            { sku: shelf.mug, quantity: 1 },
          ]),
        ),
      ),
    );
    expect(failureTypes(results)).toEqual(Array(30).fill('OUT_OF_STOCK'));
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 0, reserved: 10, sold: 0 });
  });

  it('the same order reserved through two workers at once takes its stock once, and both are answered', async () => {
    const shelf = await stockShelf(suite.db().orm);
    await withWorkers(2, async (workers) => {
      for (let round = 0; round < 5; round += 1) {
        const orderId = `twice-${process.pid}-${round}`;
        await Promise.all(
          workers.map((worker) => worker.reserveStock(orderId, [{ sku: shelf.mug, quantity: 2 }])),
        );
      }
    });
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 0, reserved: 10, sold: 0 });
  });

  it('a release racing its own reserve on another worker leaves the stock as it was, whichever lands first', async () => {
    const shelf = await stockShelf(suite.db().orm);
    await withWorkers(2, ([reserver, releaser]) =>
      Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const orderId = `race-${process.pid}-${index}`;
          await Promise.all([
            reserver?.reserveStock(orderId, [{ sku: shelf.mug, quantity: 1 }]),
            releaser?.releaseStock(orderId),
          ]);
          // A release that ran first claimed the reserve's key; one that ran second gave the units back.
          await releaser?.releaseStock(orderId);
        }),
      ),
    );
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('orders locking the same two SKUs from opposite ends do not deadlock', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => {
        const pair = [
          { sku: shelf.mug, quantity: 1 },
          { sku: shelf.lamp, quantity: 1 },
        ];
        return suite
          .activities()
          .reserveStock(`pair-${process.pid}-${index}`, index % 2 === 0 ? pair : pair.reverse());
      }),
    );
    // 5 lamps: 5 orders get both SKUs, 15 are refused; a deadlock would surface as another failure type.
    expect(failureTypes(results)).toEqual(Array(15).fill('OUT_OF_STOCK'));
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.lamp]).toEqual({ available: 0, reserved: 5, sold: 0 });
    expect(stock[shelf.mug]).toEqual({ available: 5, reserved: 5, sold: 0 });
  });

  it('concurrent reserves and releases of many orders leave available + reserved unchanged', async () => {
    const shelf = await stockShelf(suite.db().orm);
    const orderIds = Array.from({ length: 10 }, (_, index) => `churn-${process.pid}-${index}`);
    await Promise.all(
      orderIds.map((orderId) => suite.activities().reserveStock(orderId, [{ sku: shelf.mug, quantity: 1 }])),
    );
    await Promise.all(orderIds.slice(0, 6).map((orderId) => suite.activities().releaseStock(orderId)));
    const { stock } = await readLedger(suite.db().orm, 'none', shelf);
    expect(stock[shelf.mug]).toEqual({ available: 6, reserved: 4, sold: 0 });
  });
});
