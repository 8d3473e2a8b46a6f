/** Stock through MikroORM: product rows locked FOR UPDATE in SKU order, so nothing is sold twice and no two orders deadlock. */
import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/core';
import type { OrderLine, PricedLine } from '../../common/order';
import {
  type Product,
  ProductSchema,
  ReservationLineSchema,
  type ReservationLineStatus,
} from '../db/entities';
import { runOnce } from '../db/idempotency';
import { BusinessError } from './business-error';

function bySku<T extends { sku: string }>(a: T, b: T): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}

/** Locks the rows of `skus` in ascending SKU order: every transaction takes its locks in the same order. */
async function lockProducts(
  em: EntityManager,
  orderId: string,
  skus: string[],
): Promise<Map<string, Product>> {
  const rows = await em.find(
    ProductSchema,
    { sku: { $in: skus } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { sku: 'asc' } },
  );
  const products = new Map(rows.map((row) => [row.sku, row]));
  const unknown = skus.filter((sku) => !products.has(sku));
  if (unknown.length > 0)
    throw new BusinessError('UNKNOWN_SKU', `order ${orderId}: unknown sku ${unknown.join(', ')}`);
  return products;
}

/** Moves the order's lines from one status to the next, applying `change` to each line's product under lock. */
async function moveLines(
  em: EntityManager,
  orderId: string,
  from: ReservationLineStatus,
  to: ReservationLineStatus,
  change: (product: Product, quantity: number) => void,
): Promise<void> {
  const lines = (await em.find(ReservationLineSchema, { orderId, status: from })).sort(bySku);
  if (lines.length === 0) return;
  const products = await lockProducts(
    em,
    orderId,
    lines.map((line) => line.sku),
  );
  for (const line of lines) {
    const product = products.get(line.sku);
    if (product) change(product, line.quantity);
    line.status = to;
  }
}

export function inventoryActivities(orm: MikroORM) {
  return {
    async priceOrder(orderId: string, lines: OrderLine[]): Promise<PricedLine[]> {
      const rows = await orm.em.fork().find(ProductSchema, { sku: { $in: lines.map((line) => line.sku) } });
      const products = new Map(rows.map((row) => [row.sku, row]));
      return lines.map((line) => {
        const product = products.get(line.sku);
        if (!product) throw new BusinessError('UNKNOWN_SKU', `order ${orderId}: unknown sku ${line.sku}`);
        if (product.discontinued) {
          throw new BusinessError(
            'DISCONTINUED',
            `order ${orderId}: ${line.sku} (${product.name}) is discontinued`,
          );
        }
        if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
          throw new BusinessError(
            'INVALID_ORDER',
            `order ${orderId}: quantity of ${line.sku} must be positive`,
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
      const sorted = [...lines].sort(bySku);
      await runOnce(orm, `${orderId}:reserve`, async (em) => {
        // The lines are written before the product rows are locked, so the hot locks are held only briefly.
        await em.insertMany(
          ReservationLineSchema,
          sorted.map((line) => ({
            orderId,
            sku: line.sku,
            quantity: line.quantity,
            status: 'RESERVED' as const,
          })),
        );
        const products = await lockProducts(
          em,
          orderId,
          sorted.map((line) => line.sku),
        );
        const short = sorted.filter((line) => (products.get(line.sku)?.available ?? 0) < line.quantity);
        if (short.length > 0) {
          const detail = short.map(
            (line) => `${line.sku} (${products.get(line.sku)?.available ?? 0} left, ${line.quantity} wanted)`,
          );
          throw new BusinessError('OUT_OF_STOCK', `order ${orderId}: out of stock: ${detail.join(', ')}`);
        }
        for (const line of sorted) {
          const product = products.get(line.sku) as Product;
          product.available -= line.quantity;
          product.reserved += line.quantity;
        }
      });
    },

    async releaseStock(orderId: string): Promise<void> {
      await runOnce(orm, `${orderId}:release`, (em) =>
        moveLines(em, orderId, 'RESERVED', 'RELEASED', (product, quantity) => {
          product.reserved -= quantity;
          product.available += quantity;
        }),
      );
    },

    async commitSale(orderId: string): Promise<void> {
      await runOnce(orm, `${orderId}:commit`, (em) =>
        moveLines(em, orderId, 'RESERVED', 'SOLD', (product, quantity) => {
          product.reserved -= quantity;
          product.sold += quantity;
        }),
      );
    },

    async restockReturn(orderId: string): Promise<void> {
      await runOnce(orm, `${orderId}:restock`, (em) =>
        moveLines(em, orderId, 'SOLD', 'RESTOCKED', (product, quantity) => {
          product.sold -= quantity;
          product.available += quantity;
        }),
      );
    },
  };
}
