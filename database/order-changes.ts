/**
 * What the order table says moved: the reads a status feed makes instead of asking every watched workflow. Plain
 * queries through the ORM's query builder, without entities: they run ten times a second in every API process,
 * and a unit of work cost fifteen times the query.
 */
import type { MikroORM } from '@mikro-orm/core';
import { readRows, statementBuilder } from './plain-sql';
import { databaseCall } from './unavailable';

export interface OrderChange {
  orderId: string;
  version: number;
  /** When the row changed, in ms on the database's clock. */
  changedAt: number;
}

/** Where a read of changes starts: after this row, in (changedAt, orderId) order; orderId '' takes the whole ms. */
export type ChangeCursor = Pick<OrderChange, 'changedAt' | 'orderId'>;

interface ChangeRow {
  order_id: string;
  version: number | string;
  changed_at: number | string;
}

const changeOf = (row: ChangeRow): OrderChange => ({
  orderId: row.order_id,
  version: Number(row.version),
  changedAt: Number(row.changed_at),
});

export function orderChangeLog(orm: MikroORM) {
  const table = () => statementBuilder(orm)<ChangeRow>('order_summary');
  return {
    /** The time of the newest change (database clock), 0 when the table is empty. */
    async latestChange(): Promise<number> {
      const [row] = await databaseCall(orm, 'read the newest order change', () =>
        readRows<{ latest: number | string | null }>(orm, table().max({ latest: 'changed_at' })),
      );
      return Number(row?.latest ?? 0);
    },

    /** Rows changed after `from`, oldest change first, at most `limit` (an index range scan on changed_at). */
    async changedSince(from: ChangeCursor, limit: number): Promise<OrderChange[]> {
      const rows = await databaseCall(orm, 'read the changed orders', () =>
        readRows<ChangeRow>(
          orm,
          table()
            .select('order_id', 'version', 'changed_at')
            .where('changed_at', '>', from.changedAt)
            .orWhere((same) => same.where('changed_at', from.changedAt).where('order_id', '>', from.orderId))
            .orderBy([
              { column: 'changed_at', order: 'asc' },
              { column: 'order_id', order: 'asc' },
            ])
            .limit(limit),
        ),
      );
      return rows.map(changeOf);
    },

    /** The versions the order table holds for these orders (absent: no row yet). */
    async versionsOf(orderIds: readonly string[]): Promise<Map<string, number>> {
      const rows = await databaseCall(orm, 'read the versions of watched orders', () =>
        readRows<ChangeRow>(
          orm,
          table()
            .select('order_id', 'version', 'changed_at')
            .whereIn('order_id', [...orderIds]),
        ),
      );
      return new Map(rows.map((row) => [row.order_id, Number(row.version)]));
    },
  };
}

export type OrderChangeLog = ReturnType<typeof orderChangeLog>;
