/**
 * The order table as the workflows write it and the API reads it: one row per order with its list columns and,
 * for orders begun since the read model exists, the whole state at that version. A row never goes back to an
 * older version, so a late retry cannot overwrite a newer change.
 */
import { LockMode, type MikroORM } from '@mikro-orm/core';
import type { OrderState, OrderSummary } from '../common/order';
import { databaseNowMs } from './clock';
import { OrderSummarySchema } from './entities';
import { databaseCall } from './unavailable';

/** Writes the row of `summary` (and the whole state, when given) unless the row already holds that version. */
export async function recordOrderRow(
  orm: MikroORM,
  summary: OrderSummary,
  snapshot: OrderState | null = null,
): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    const row = await em.findOne(
      OrderSummarySchema,
      { orderId: summary.orderId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (row && row.version >= summary.version) return;
    const fields = {
      ...summary,
      createdAt: new Date(summary.createdAt),
      updatedAt: new Date(summary.updatedAt),
      changedAt: databaseNowMs(orm),
      ...(snapshot ? { snapshot: JSON.stringify(snapshot) } : {}),
    };
    if (row) em.assign(row, fields);
    else em.create(OrderSummarySchema, fields);
  });
}

/**
 * The order as its workflow last wrote it; null when the row is missing or predates the read model. Plain SQL on
 * the ORM's connection: this is the API's hottest read, and a unit of work would cost five times the query.
 */
export async function readOrderSnapshot(orm: MikroORM, orderId: string): Promise<OrderState | null> {
  const [row] = await databaseCall(`order ${orderId}: read its snapshot`, () =>
    orm.em
      .getConnection()
      .execute<{ snapshot: string | null }[]>('select snapshot from order_summary where order_id = ?', [
        orderId,
      ]),
  );
  return parseSnapshot(row?.snapshot ?? null);
}

export function parseSnapshot(snapshot: string | null): OrderState | null {
  return snapshot === null ? null : (JSON.parse(snapshot) as OrderState);
}
