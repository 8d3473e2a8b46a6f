/** The order list the API reads: the order_summary table the workflow keeps current, newest first. */
import type { FilterQuery, MikroORM } from '@mikro-orm/core';
import {
  ORDER_STATUSES,
  type OrderState,
  type OrderStatus,
  type OrderSummary,
  type OrderView,
} from '../common/order';
import type { OrderListPage, OrderListQuery } from '../common/order-list';
import { InputError } from '../common/outcomes';
import { type OrderSummaryRow, OrderSummarySchema } from './entities';
import { parseSnapshot } from './order-snapshots';
import { databaseCall } from './unavailable';

const LISTED_POLL_MS = 20;

function cursorOf(row: OrderSummaryRow): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.orderId}`).toString('base64url');
}

function parseCursor(cursor: string): { createdAt: Date; orderId: string } {
  const [at, ...id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || id.length === 0)
    throw new InputError('after', `bad cursor "${cursor}"`);
  return { createdAt, orderId: id.join('|') };
}

function statusOf(row: OrderSummaryRow): OrderStatus {
  const status = ORDER_STATUSES.find((known) => known === row.status);
  if (!status) throw new Error(`order ${row.orderId}: unknown status "${row.status}" in order_summary`);
  return status;
}

function summaryOf(row: OrderSummaryRow): OrderSummary {
  return {
    orderId: row.orderId,
    customerId: row.customerId,
    status: statusOf(row),
    version: row.version,
    totalCents: row.totalCents,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function viewOf(row: OrderSummaryRow): OrderView {
  return parseSnapshot(row.snapshot) ?? summaryOf(row);
}

export async function listOrders(orm: MikroORM, query: OrderListQuery): Promise<OrderListPage> {
  const where: FilterQuery<OrderSummaryRow> = {};
  if (query.status) where.status = query.status;
  if (query.customerId) where.customerId = query.customerId;
  if (query.after) {
    const { createdAt, orderId } = parseCursor(query.after);
    where.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, orderId: { $lt: orderId } }];
  }
  const rows = await databaseCall('list orders', () =>
    orm.em.fork().find(OrderSummarySchema, where, {
      orderBy: { createdAt: 'desc', orderId: 'desc' },
      limit: query.first + 1,
      populate: ['snapshot'],
    }),
  );
  return {
    rows: rows.slice(0, query.first).map((row) => ({ cursor: cursorOf(row), order: viewOf(row) })),
    hasNextPage: rows.length > query.first,
  };
}

/** The version at which the order entered its current status: all an order begun before the read model lists. */
function statusSince(state: OrderState): number {
  let since = state.version;
  for (let index = state.timeline.length - 1; index >= 0; index -= 1) {
    const entry = state.timeline[index];
    if (!entry || entry.status !== state.status) break;
    since = entry.version;
  }
  return since;
}

/**
 * Waits (at most `timeoutMs`) until the order table holds `state`'s version or a later one, so a client that
 * reads or lists orders right after a mutation answered sees what that mutation did. The workflow writes the
 * row as it changes, so this is usually one or two primary-key reads. An order begun before the workflow wrote
 * every version (its row has no snapshot) is listed once its row shows the status.
 */
export async function waitUntilListed(orm: MikroORM, state: OrderState, timeoutMs: number): Promise<boolean> {
  const { orderId } = state;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows: { version: number }[] = await databaseCall(`order ${orderId}: read its order-list row`, () =>
      orm.em.getConnection().execute('select version from order_summary where order_id = ?', [orderId]),
    );
    const row = rows[0];
    if (row && row.version >= state.version) return true;
    if (row && row.version >= statusSince(state)) {
      const predatesSnapshots = await databaseCall(`order ${orderId}: read its order-list row`, () =>
        orm.em.fork().count(OrderSummarySchema, { orderId, snapshot: null }),
      );
      if (predatesSnapshots > 0) return true;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, LISTED_POLL_MS));
  }
}
