/** What the order table says moved: the reads a status feed makes instead of asking every watched workflow. */
import type { MikroORM } from '@mikro-orm/core';
import { OrderSummarySchema } from './entities';
import { databaseCall } from './unavailable';

export interface OrderChange {
  orderId: string;
  version: number;
  /** When the row changed, in ms on the database's clock. */
  changedAt: number;
}

/** Rows changed at or after `sinceMs` (database clock), oldest change first, at most `limit`. */
export function changedSince(orm: MikroORM, sinceMs: number, limit: number): Promise<OrderChange[]> {
  return databaseCall('read the changed orders', () =>
    orm.em
      .fork()
      .find(
        OrderSummarySchema,
        { changedAt: { $gte: sinceMs } },
        { fields: ['orderId', 'version', 'changedAt'], orderBy: { changedAt: 'asc' }, limit },
      ),
  );
}

/** The versions the order table holds for these orders (absent: no row yet). */
export async function versionsOf(orm: MikroORM, orderIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await databaseCall('read the versions of watched orders', () =>
    orm.em
      .fork()
      .find(OrderSummarySchema, { orderId: { $in: [...orderIds] } }, { fields: ['orderId', 'version'] }),
  );
  return new Map(rows.map((row) => [row.orderId, row.version]));
}
