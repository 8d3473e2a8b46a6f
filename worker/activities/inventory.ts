/** Stock through MikroORM: product rows locked FOR UPDATE in SKU order, so nothing is sold twice and no two orders deadlock. */
import {
  type EntityManager,
  LockMode,
  type MikroORM,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { OrderLine, PricedLine } from '../../common/order';
import { findProducts } from '../catalog';
import {
  IdempotencyKeySchema,
  type Product,
  ProductSchema,
  ReservationLineSchema,
  type ReservationLineStatus,
} from '../db/entities';
import { runOnce } from '../db/idempotency';
import { BusinessError } from './business-error';

type StockColumn = 'available' | 'reserved' | 'sold';
/** How many units of a SKU move from one column to another. */
type StockMove = { sku: string; quantity: number };

function bySku<T extends { sku: string }>(a: T, b: T): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

function checkLines(orderId: string, step: string, lines: readonly OrderLine[]): void {
  if (lines.length === 0) throw new BusinessError('INVALID_ORDER', `order ${orderId}: ${step}: no lines`);
  for (const line of lines) {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new BusinessError(
        'INVALID_ORDER',
        `order ${orderId}: ${step}: quantity of ${line.sku} must be a positive whole number, got ${line.quantity}`,
      );
    }
  }
}

/** One line per SKU, in ascending SKU order: the order every transaction takes its row locks in. */
function mergedBySku(lines: readonly OrderLine[]): StockMove[] {
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.sku, (quantities.get(line.sku) ?? 0) + line.quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity })).sort(bySku);
}

/** Locks the rows of `skus` (ascending, as every caller passes them) and returns them by SKU. */
async function lockProducts(
  em: EntityManager,
  orderId: string,
  step: string,
  skus: string[],
): Promise<Map<string, Product>> {
  const rows = await em.find(
    ProductSchema,
    { sku: { $in: skus } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { sku: 'asc' } },
  );
  const products = new Map(rows.map((row) => [row.sku, row]));
  const unknown = skus.filter((sku) => !products.has(sku));
  if (unknown.length > 0) {
    throw new BusinessError('UNKNOWN_SKU', `order ${orderId}: ${step}: unknown sku ${unknown.join(', ')}`);
  }
  return products;
}

/**
 * Moves units between two stock columns of locked rows in ONE statement: the hot rows stay locked for a
 * single round trip whatever the number of SKUs. Relative arithmetic, so it never depends on a stale read.
 */
async function moveStock(em: EntityManager, moves: StockMove[], from: StockColumn, to: StockColumn) {
  const cases = moves.map(() => 'when ? then ?').join(' ');
  const pairs = moves.flatMap((move) => [move.sku, move.quantity]);
  const skus = moves.map((move) => move.sku);
  await em
    .getConnection()
    .execute(
      `update product set ${from} = ${from} - (case sku ${cases} end), ${to} = ${to} + (case sku ${cases} end) where sku in (${skus.map(() => '?').join(', ')})`,
      [...pairs, ...pairs, ...skus],
      'run',
      em.getTransactionContext(),
    );
}

/** Moves the order's lines from one status to the next and their units between stock columns, under lock. */
async function moveLines(
  em: EntityManager,
  orderId: string,
  step: string,
  lineStatus: { from: ReservationLineStatus; to: ReservationLineStatus },
  stock: { from: StockColumn; to: StockColumn },
): Promise<number> {
  // A locking read sees the latest committed lines, not the transaction's snapshot.
  const lines = await em.find(
    ReservationLineSchema,
    { orderId, status: lineStatus.from },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { sku: 'asc' } },
  );
  if (lines.length === 0) return 0;
  // Written before the product rows are locked, so the hot locks are held for as few statements as possible.
  await em.nativeUpdate(
    ReservationLineSchema,
    { id: { $in: lines.map((line) => line.id) } },
    { status: lineStatus.to },
  );
  await lockProducts(
    em,
    orderId,
    step,
    lines.map((line) => line.sku),
  );
  await moveStock(em, lines, stock.from, stock.to);
  return lines.length;
}

/**
 * A reserve that timed out may still land after its compensation ran. Claiming the reserve's key turns such a
 * late reserve into a no-op; if the key is taken, the reserve did happen and its lines are there to release.
 */
async function claimReserveKey(em: EntityManager, orderId: string): Promise<boolean> {
  try {
    await em.insert(IdempotencyKeySchema, {
      key: `${orderId}:reserve`,
      result: 'null',
      createdAt: new Date(),
    });
    return true;
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return false;
    throw error;
  }
}

export function inventoryActivities(orm: MikroORM) {
  return {
    async priceOrder(orderId: string, lines: OrderLine[]): Promise<PricedLine[]> {
      checkLines(orderId, 'price', lines);
      const products = new Map(
        (await findProducts(orm, [...new Set(lines.map((line) => line.sku))])).map((p) => [p.sku, p]),
      );
      return lines.map((line) => {
        const product = products.get(line.sku);
        if (!product)
          throw new BusinessError('UNKNOWN_SKU', `order ${orderId}: price: unknown sku ${line.sku}`);
        if (product.discontinued) {
          throw new BusinessError(
            'DISCONTINUED',
            `order ${orderId}: price: ${line.sku} (${product.name}) is discontinued`,
          );
        }
        return {
          ...line,
          name: product.name,
          unitPriceCents: product.priceCents,
          warehouse: product.warehouse,
        };
      });
    },

    async reserveStock(orderId: string, lines: OrderLine[]): Promise<void> {
      checkLines(orderId, 'reserve', lines);
      const moves = mergedBySku(lines);
      await runOnce(orm, `${orderId}:reserve`, async (em) => {
        // Written before the product rows are locked, so the hot locks are held for as few statements as possible.
        await em.insertMany(
          ReservationLineSchema,
          moves.map((move) => ({ orderId, ...move, status: 'RESERVED' as const })),
        );
        const products = await lockProducts(
          em,
          orderId,
          'reserve',
          moves.map((move) => move.sku),
        );
        const short = moves.filter((move) => (products.get(move.sku)?.available ?? 0) < move.quantity);
        if (short.length > 0) {
          const detail = short.map(
            (move) => `${move.sku} (${products.get(move.sku)?.available ?? 0} left, ${move.quantity} wanted)`,
          );
          throw new BusinessError(
            'OUT_OF_STOCK',
            `order ${orderId}: reserve: out of stock: ${detail.join(', ')}`,
          );
        }
        await moveStock(em, moves, 'available', 'reserved');
      });
    },

    async releaseStock(orderId: string): Promise<void> {
      await runOnce(orm, `${orderId}:release`, async (em) => {
        if (await claimReserveKey(em, orderId)) return;
        await moveLines(
          em,
          orderId,
          'release',
          { from: 'RESERVED', to: 'RELEASED' },
          { from: 'reserved', to: 'available' },
        );
      });
    },

    async commitSale(orderId: string): Promise<void> {
      await runOnce(orm, `${orderId}:commit`, async (em) => {
        await moveLines(
          em,
          orderId,
          'commit',
          { from: 'RESERVED', to: 'SOLD' },
          { from: 'reserved', to: 'sold' },
        );
      });
    },

    async restockReturn(orderId: string): Promise<void> {
      await runOnce(orm, `${orderId}:restock`, async (em) => {
        await moveLines(
          em,
          orderId,
          'restock',
          { from: 'SOLD', to: 'RESTOCKED' },
          { from: 'sold', to: 'available' },
        );
      });
    },
  };
}
