/** The order list the API reads: the order_summary table the workflow keeps current, newest first. */
import type { MikroORM } from '@mikro-orm/core';
import { ORDER_STATUSES, type OrderState, type OrderStatus, type OrderView } from '../common/order';
import type { OrderListPage, OrderListQuery } from '../common/order-list';
import { InputError } from '../common/outcomes';
import { databaseDate } from './clock';
import { OrderSummarySchema } from './entities';
import { parseSnapshot } from './order-snapshots';
import { readRows, statementBuilder } from './plain-sql';
import { pollUntil } from './poll-until';
import { pauseUntilWritten } from './row-writes';
import { databaseCall } from './unavailable';

/** The columns a page reads, as the database answers them (dates: a Date from MySQL, ms from SQLite). */
interface ListedRow {
  order_id: string;
  customer_id: string;
  status: string;
  version: number;
  total_cents: number;
  created_at: Date | number | string;
  updated_at: Date | number | string;
  snapshot: string | null;
}

function cursorOf(row: ListedRow): string {
  return Buffer.from(`${new Date(row.created_at).toISOString()}|${row.order_id}`).toString('base64url');
}

function parseCursor(cursor: string): { createdAt: Date; orderId: string } {
  const [at, ...id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || id.length === 0)
    throw new InputError('after', `bad cursor "${cursor}"`);
  return { createdAt, orderId: id.join('|') };
}

function statusOf(row: ListedRow): OrderStatus {
  const status = ORDER_STATUSES.find((known) => known === row.status);
  if (!status) throw new Error(`order ${row.order_id}: unknown status "${row.status}" in order_summary`);
  return status;
}

function viewOf(row: ListedRow): OrderView {
  return (
    parseSnapshot(row.order_id, row.snapshot) ?? {
      orderId: row.order_id,
      customerId: row.customer_id,
      status: statusOf(row),
      version: Number(row.version),
      totalCents: Number(row.total_cents),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    }
  );
}

/**
 * A page of the order table, newest first. One query through the ORM's query builder, without entities: a page of
 * 50 rows hydrated into a unit of work cost ten times the query.
 */
export async function listOrders(orm: MikroORM, query: OrderListQuery): Promise<OrderListPage> {
  const select = statementBuilder(orm)<ListedRow>('order_summary')
    .select(
      'order_id',
      'customer_id',
      'status',
      'version',
      'total_cents',
      'created_at',
      'updated_at',
      'snapshot',
    )
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'order_id', order: 'desc' },
    ])
    .limit(query.first + 1);
  if (query.status) select.where('status', query.status);
  if (query.customerId) select.where('customer_id', query.customerId);
  if (query.after) {
    const { createdAt, orderId } = parseCursor(query.after);
    const at = databaseDate(orm, createdAt);
    select.where((older) =>
      older
        .where('created_at', '<', at)
        .orWhere((same) => same.where('created_at', at).where('order_id', '<', orderId)),
    );
  }
  const rows = await databaseCall(orm, 'list orders', () => readRows<ListedRow>(orm, select));
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
export function waitUntilListed(orm: MikroORM, state: OrderState, timeoutMs: number): Promise<boolean> {
  return pollUntil(
    () => isListed(orm, state),
    (listed) => listed,
    timeoutMs,
    (ms) => pauseUntilWritten(orm, state.orderId, ms),
  );
}

async function isListed(orm: MikroORM, state: OrderState): Promise<boolean> {
  const { orderId } = state;
  const rows = await databaseCall(orm, `order ${orderId}: read its order-list row`, () =>
    readRows<{ version: number }>(
      orm,
      statementBuilder(orm)('order_summary').where('order_id', orderId).select('version'),
    ),
  );
  const row = rows[0];
  if (row && row.version >= state.version) return true;
  if (!row || row.version < statusSince(state)) return false;
  const predatesSnapshots = await databaseCall(orm, `order ${orderId}: read its order-list row`, () =>
    orm.em.fork().count(OrderSummarySchema, { orderId, snapshot: null }),
  );
  return predatesSnapshots > 0;
}
