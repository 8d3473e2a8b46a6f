/**
 * Reservations per second on one hot SKU: the real locked MikroORM path (`reserveStock`: idempotency key,
 * reservation line, product row FOR UPDATE, one transaction) against a raw conditional UPDATE, same MariaDB,
 * same concurrency, in one run; then checks that neither oversold.
 *   npm run bench -- [reservations=2000] [concurrency=32]
 */
import { createPool } from 'mysql2/promise';
import { createTestOrm } from '../test/support/database';
import { createActivities } from '../worker/activities';
import { upsertProduct } from '../worker/catalog';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 32);

/** Runs `total` calls of `attempt` over `concurrency` lanes; returns successes and reservations per second. */
async function drive(
  attempt: (index: number) => Promise<boolean>,
): Promise<{ succeeded: number; perSecond: number }> {
  let next = 0;
  let succeeded = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      const index = next++;
      if (await attempt(index)) succeeded += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  return { succeeded, perSecond: total / seconds };
}

const db = await createTestOrm();
const pool = createPool({ uri: db.databaseUrl, connectionLimit: concurrency });
try {
  const stockAll = (sku: string) =>
    upsertProduct(db.orm, { sku, name: sku, priceCents: 100, stock: total - 100, discontinued: false });
  const readStock = async (sku: string) => {
    const [rows] = await pool.query('select available, reserved from product where sku = ?', [sku]);
    return (rows as { available: number; reserved: number }[])[0];
  };

  await stockAll('LOCKED');
  const activities = createActivities({ orm: db.orm });
  const locked = await drive((index) =>
    activities.reserveStock(`bench-${index}`, [{ sku: 'LOCKED', quantity: 1 }]).then(
      () => true,
      (error) => {
        if (error.type !== 'OUT_OF_STOCK') throw error;
        return false;
      },
    ),
  );

  await stockAll('RAW');
  const raw = await drive(async () => {
    const [result] = await pool.execute(
      'update product set available = available - 1, reserved = reserved + 1 where sku = ? and available >= 1',
      ['RAW'],
    );
    return (result as { affectedRows: number }).affectedRows === 1;
  });

  const lockedStock = await readStock('LOCKED');
  const rawStock = await readStock('RAW');
  const oversold = (stock: { available: number; reserved: number } | undefined, succeeded: number) =>
    !stock || stock.available < 0 || stock.reserved !== succeeded || succeeded !== total - 100;

  console.log(
    `${total} single-unit reservations on one hot SKU holding ${total - 100} units, ${concurrency} concurrent`,
  );
  console.log(
    `locked MikroORM path : ${locked.perSecond.toFixed(0)} reservations/s, ${locked.succeeded} succeeded`,
  );
  console.log(
    `raw conditional UPDATE: ${raw.perSecond.toFixed(0)} reservations/s, ${raw.succeeded} succeeded`,
  );
  console.log(`ratio locked/raw     : ${(locked.perSecond / raw.perSecond).toFixed(2)}x`);
  console.log(
    `oversell             : locked ${oversold(lockedStock, locked.succeeded) ? 'YES' : 'none'}, raw ${oversold(rawStock, raw.succeeded) ? 'YES' : 'none'}`,
  );
  if (oversold(lockedStock, locked.succeeded) || oversold(rawStock, raw.succeeded)) process.exitCode = 1;
} finally {
  await pool.end();
  await db.dispose();
}
