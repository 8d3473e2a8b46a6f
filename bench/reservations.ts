/**
 * Reservations per second on one hot SKU, same MariaDB (127.0.0.1), same number of concurrent clients:
 *   locked  the real `reserveStock`: group commit, the reservations waiting are written together in one transaction
 *           (product row FOR UPDATE, then every accepted one's idempotency key, reservation line and stock)
 *   raw tx  one such FOR UPDATE transaction per reservation, hand-written mysql2: what no batching costs
 *   raw     one conditional UPDATE per reservation, no key, no line
 * Each path is warmed up first, runs at most `seconds`, then is checked for oversell.
 *   npm run bench -- [reservations=3000] [concurrency=32] [seconds=60]
 */
import { createPool, type Pool, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { upsertProduct } from '../database/catalog';
import { createScratchDatabase } from '../database/scratch-database';
import { createActivities } from '../worker/activities';

const total = Number(process.argv[2] ?? 3000);
const concurrency = Number(process.argv[3] ?? 32);
const seconds = Number(process.argv[4] ?? 60);
const WARM_UP = 300;
const SPARE = 100;

type Reserve = (orderId: string, sku: string) => Promise<boolean>;

interface Run {
  attempts: number;
  succeeded: number;
  perSecond: number;
}

/** Runs up to `count` reservations over `concurrency` lanes, stopping at the deadline. */
async function drive(reserve: Reserve, sku: string, count: number, prefix: string): Promise<Run> {
  let next = 0;
  let succeeded = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const lane = async () => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      if (await reserve(`${prefix}-${index}`, sku)) succeeded += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { attempts: next, succeeded, perSecond: next / ((performance.now() - started) / 1000) };
}

async function stockCheck(pool: Pool, sku: string, stock: number, run: Run, linesTable: boolean) {
  const [[row]] = await pool.query<RowDataPacket[]>('select available, reserved from product where sku = ?', [
    sku,
  ]);
  const [[lines]] = await pool.query<RowDataPacket[]>(
    "select count(*) as n from reservation_line where sku = ? and status = 'RESERVED'",
    [sku],
  );
  const ok =
    row !== undefined &&
    row.available >= 0 &&
    row.reserved === run.succeeded &&
    row.available === stock - run.succeeded &&
    (!linesTable || Number(lines?.n) === run.succeeded);
  return { ok, available: row?.available, reserved: row?.reserved };
}

/** The MySQL server to bench on; the bench creates its own database there and drops it at the end. */
const db = await createScratchDatabase(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const pool = createPool({ uri: db.databaseUrl, connectionLimit: concurrency });
try {
  const activities = createActivities({ orm: db.orm });
  const paths: { name: string; lines: boolean; reserve: Reserve }[] = [
    {
      name: 'locked MikroORM reserveStock',
      lines: true,
      reserve: (orderId, sku) =>
        activities.reserveStock(orderId, [{ sku, quantity: 1 }]).then(
          () => true,
          (error) => {
            if (error.type !== 'OUT_OF_STOCK') throw error;
            return false;
          },
        ),
    },
    {
      name: 'raw tx per reservation (mysql2)',
      lines: true,
      reserve: async (orderId, sku) => {
        const connection = await pool.getConnection();
        try {
          await connection.query('start transaction');
          await connection.query(
            'insert into idempotency_key (`key`, result, created_at) values (?, ?, now())',
            [`${orderId}:reserve`, 'null'],
          );
          await connection.query(
            "insert into reservation_line (order_id, sku, quantity, status) values (?, ?, 1, 'RESERVED')",
            [orderId, sku],
          );
          const [[row]] = await connection.query<RowDataPacket[]>(
            'select available from product where sku = ? for update',
            [sku],
          );
          if (!row || row.available < 1) {
            await connection.query('rollback');
            return false;
          }
          await connection.query(
            'update product set available = available - 1, reserved = reserved + 1 where sku = ?',
            [sku],
          );
          await connection.query('commit');
          return true;
        } finally {
          connection.release();
        }
      },
    },
    {
      name: 'raw conditional UPDATE',
      lines: false,
      reserve: async (_orderId, sku) => {
        const [result] = await pool.execute<ResultSetHeader>(
          'update product set available = available - 1, reserved = reserved + 1 where sku = ? and available >= 1',
          [sku],
        );
        return result.affectedRows === 1;
      },
    },
  ];

  const stock = (sku: string, units: number) =>
    upsertProduct(db.orm, { sku, name: sku, priceCents: 100, stock: units, discontinued: false });
  const results: { name: string; run: Run; check: Awaited<ReturnType<typeof stockCheck>> }[] = [];
  for (const [index, path] of paths.entries()) {
    await stock(`WARM-${index}`, WARM_UP);
    await drive(path.reserve, `WARM-${index}`, WARM_UP, `warm-${index}`);
    const sku = `HOT-${index}`;
    await stock(sku, total - SPARE);
    const run = await drive(path.reserve, sku, total, `bench-${index}`);
    results.push({
      name: path.name,
      run,
      check: await stockCheck(pool, sku, total - SPARE, run, path.lines),
    });
  }

  console.log(
    `${total} single-unit reservations (${total - SPARE} units) on one hot SKU, ${concurrency} concurrent clients`,
  );
  for (const { name, run, check } of results) {
    console.log(
      `${name.padEnd(34)} ${run.perSecond.toFixed(0).padStart(6)} /s  ${run.succeeded}/${run.attempts} succeeded  ` +
        `available ${check.available} reserved ${check.reserved}  oversell: ${check.ok ? 'none' : 'YES'}`,
    );
  }
  const [locked, rawTx, raw] = results.map((result) => result.run.perSecond);
  if (locked && rawTx && raw) {
    console.log(
      `ratio locked / raw UPDATE: ${(locked / raw).toFixed(2)}x   (raw tx / raw UPDATE: ${(rawTx / raw).toFixed(2)}x)`,
    );
  }
  if (results.some((result) => !result.check.ok)) process.exitCode = 1;
} finally {
  await pool.end();
  await db.dispose();
}
