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

/** Where a read of changes starts: after this row, in (changedAt, orderId) order; orderId '' takes the whole ms. */
export type ChangeCursor = Pick<OrderChange, 'changedAt' | 'orderId'>;

export function orderChangeLog(orm: MikroORM) {
  return {
    /** The time of the newest change (database clock), 0 when the table is empty. */
    async latestChange(): Promise<number> {
      const [row] = await databaseCall('read the newest order change', () =>
        orm.em
          .fork()
          .find(OrderSummarySchema, {}, { fields: ['changedAt'], orderBy: { changedAt: 'desc' }, limit: 1 }),
      );
      return row?.changedAt ?? 0;
    },

    /** Rows changed after `from`, oldest change first, at most `limit` (an index range scan on changed_at). */
    changedSince(from: ChangeCursor, limit: number): Promise<OrderChange[]> {
      return databaseCall('read the changed orders', () =>
        orm.em.fork().find(
          OrderSummarySchema,
          {
            $or: [
              { changedAt: { $gt: from.changedAt } },
              { changedAt: from.changedAt, orderId: { $gt: from.orderId } },
            ],
          },
          {
            fields: ['orderId', 'version', 'changedAt'],
            orderBy: { changedAt: 'asc', orderId: 'asc' },
            limit,
          },
        ),
      );
    },

    /** The versions the order table holds for these orders (absent: no row yet). */
    async versionsOf(orderIds: readonly string[]): Promise<Map<string, number>> {
      const rows = await databaseCall('read the versions of watched orders', () =>
        orm.em
          .fork()
          .find(OrderSummarySchema, { orderId: { $in: [...orderIds] } }, { fields: ['orderId', 'version'] }),
      );
      return new Map(rows.map((row) => [row.orderId, row.version]));
    },
  };
}

export type OrderChangeLog = ReturnType<typeof orderChangeLog>;
