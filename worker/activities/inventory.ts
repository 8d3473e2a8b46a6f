/**
 * Stock in plain SQL on the ORM's connection: product rows locked FOR UPDATE in SKU order, so nothing is sold twice
 * and no two orders deadlock. Reservations, the hot path, go through a group-commit queue (reservation-queue.ts).
 */
import type { MikroORM } from '@mikro-orm/core';
import { effectKey } from '../../common/ids';
import type { OrderLine, PricedLine } from '../../common/order';
import { orderLineProblems } from '../../common/validation';
import { findProducts } from '../../database/catalog';
import type { ReservationLineStatus } from '../../database/entities';
import { forUpdate, type PlainTransaction } from '../../database/plain-sql';
import { BusinessError } from './business-error';
import { claimKey, runOnce } from './idempotency';
import { queueNotification } from './notifications';
import { ReservationQueue } from './reservation-queue';
import { lockProducts, mergedBySku, moveStock, type StockColumn } from './stock-rows';

/** Never moves units for lines the order rules refuse, whoever calls (the workflow has refused them already). */
function checkLines(orderId: string, step: string, lines: readonly OrderLine[]): void {
  const problems = orderLineProblems(lines);
  if (problems.length > 0) {
    const why = problems.map((problem) => problem.message).join('; ');
    throw new BusinessError('INVALID_ORDER', `order ${orderId}: ${step}: ${why}`);
  }
}

/** Moves the order's lines from one status to the next and their units between stock columns, under lock. */
async function moveLines(
  tx: PlainTransaction,
  orderId: string,
  lineStatus: { from: ReservationLineStatus; to: ReservationLineStatus },
  stock: { from: StockColumn; to: StockColumn },
): Promise<number> {
  // A locking read sees the latest committed lines, not the transaction's snapshot.
  const lines = await tx.rows<{ id: number; sku: string; quantity: number }>(
    forUpdate(
      tx,
      tx
        .sql('reservation_line')
        .where({ order_id: orderId, status: lineStatus.from })
        .orderBy('sku')
        .select('id', 'sku', 'quantity'),
    ),
  );
  if (lines.length === 0) return 0;
  // Written before the product rows are locked, so the hot locks are held for as few statements as possible.
  await tx.write(
    tx
      .sql('reservation_line')
      .whereIn(
        'id',
        lines.map((line) => line.id),
      )
      .update({ status: lineStatus.to }),
  );
  await lockProducts(
    tx,
    lines.map((line) => line.sku),
  );
  await moveStock(
    tx,
    lines.map((line) => ({ sku: line.sku, quantity: Number(line.quantity) })),
    stock.from,
    stock.to,
  );
  return lines.length;
}

/** The order's reserved units become sold ones. Answers nothing, so the sale's idempotency key stores no result. */
async function sell(tx: PlainTransaction, orderId: string): Promise<void> {
  await moveLines(tx, orderId, { from: 'RESERVED', to: 'SOLD' }, { from: 'reserved', to: 'sold' });
}

export function inventoryActivities(orm: MikroORM) {
  const reservations = new ReservationQueue(orm);
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
      await reservations.reserve(orderId, mergedBySku(lines));
    },

    async releaseStock(orderId: string): Promise<void> {
      await runOnce(orm, effectKey(orderId, 'release'), async (tx) => {
        // A reserve that lands after this release takes nothing; if the key is taken, its lines are there.
        if (await claimKey(tx, effectKey(orderId, 'reserve'))) return;
        await moveLines(
          tx,
          orderId,
          { from: 'RESERVED', to: 'RELEASED' },
          { from: 'reserved', to: 'available' },
        );
      });
    },

    async commitSale(orderId: string): Promise<void> {
      await runOnce(orm, effectKey(orderId, 'commit'), (tx) => sell(tx, orderId));
    },

    async confirmSale(orderId: string, customerId: string, message: string): Promise<void> {
      await runOnce(orm, effectKey(orderId, 'commit'), async (tx) => {
        await sell(tx, orderId);
        await queueNotification(tx, orderId, customerId, 'ORDER_CONFIRMED', message);
      });
    },

    async restockReturn(orderId: string): Promise<void> {
      await runOnce(orm, effectKey(orderId, 'restock'), async (tx) => {
        await moveLines(tx, orderId, { from: 'SOLD', to: 'RESTOCKED' }, { from: 'sold', to: 'available' });
      });
    },
  };
}
