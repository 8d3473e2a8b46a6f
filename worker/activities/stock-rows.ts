/** The pieces every stock transaction is built from: product rows locked in SKU order and one-statement moves. */
import type { OrderLine } from '../../common/order';
import { forUpdate, type PlainTransaction } from '../../database/plain-sql';

export type StockColumn = 'available' | 'reserved' | 'sold';
/** How many units of a SKU move from one column to another. */
export type StockMove = { sku: string; quantity: number };

function bySku<T extends { sku: string }>(a: T, b: T): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/** One line per SKU, in ascending SKU order: the order every transaction takes its row locks in. */
export function mergedBySku(lines: readonly OrderLine[]): StockMove[] {
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.sku, (quantities.get(line.sku) ?? 0) + line.quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity })).sort(bySku);
}

/** Locks the product rows of `skus` FOR UPDATE in ascending SKU order; answers the units available by SKU. */
export async function lockProducts(
  tx: PlainTransaction,
  skus: readonly string[],
): Promise<Map<string, number>> {
  const rows = await tx.rows<{ sku: string; available: number }>(
    forUpdate(
      tx,
      tx
        .sql('product')
        .whereIn('sku', [...skus])
        .orderBy('sku')
        .select('sku', 'available'),
    ),
  );
  return new Map(rows.map((row) => [row.sku, Number(row.available)]));
}

/**
 * Moves units between two stock columns of locked rows in ONE statement: the hot rows stay locked for a
 * single round trip whatever the number of SKUs. Relative arithmetic, so it never depends on a stale read.
 */
export async function moveStock(
  tx: PlainTransaction,
  moves: readonly StockMove[],
  from: StockColumn,
  to: StockColumn,
): Promise<void> {
  const cases = moves.map(() => 'when ? then ?').join(' ');
  const pairs = moves.flatMap((move) => [move.sku, move.quantity]);
  const skus = moves.map((move) => move.sku);
  await tx.write(
    tx.sql.raw(
      `update product set ${from} = ${from} - (case sku ${cases} end), ${to} = ${to} + (case sku ${cases} end) where sku in (${skus.map(() => '?').join(', ')})`,
      [...pairs, ...pairs, ...skus],
    ),
  );
}
