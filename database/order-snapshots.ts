/**
 * The order table as the workflows write it and the API reads it: one row per order with its list columns and,
 * for orders begun since the read model exists, the whole state at that version. A row never goes back to an
 * older version, so a late retry cannot overwrite a newer change. The same version written again replaces the
 * row: a workflow task re-run after its worker was lost writes what its workflow now holds (its own timestamps),
 * and the new `changed_at` tells the feed's watchers again. The workflow's last state (`ended`) is written whatever
 * the row holds: a task lost with its worker may have written versions its re-run never makes (a cancel taken
 * before the reservation instead of after it ends the order at a lower version), and the last state is what the
 * order is.
 */
import type { MikroORM } from '@mikro-orm/core';
import { LRUCache } from 'lru-cache';
import type { OrderState, OrderSummary } from '../common/order';
import { databaseDate, databaseNowSql } from './clock';
import { GroupCommit } from './group-commit';
import { type PlainTransaction, readRows, statementBuilder } from './plain-sql';
import { pollUntil } from './poll-until';
import { pauseUntilWritten, rowWritten } from './row-writes';
import { databaseCall } from './unavailable';

/** One write of an order's row: its list columns, and the whole state (as JSON) for orders since the read model. */
interface OrderRow {
  summary: OrderSummary;
  snapshot: string | null;
  /** The workflow's last state: written whatever the row holds. */
  ended: boolean;
}

/**
 * Writes order rows, each unless the row already holds a later version and this is not the workflow's last state.
 * The rows written at about the same time share one transaction and one commit (group commit): every workflow
 * writes its row at every stretch of its saga, and a commit's sync to disk costs more than the statements.
 */
export class OrderRowWriter {
  private readonly batches: GroupCommit<OrderRow>;

  constructor(private readonly orm: MikroORM) {
    this.batches = new GroupCommit(orm, writeRows);
  }

  async write(summary: OrderSummary, snapshot: OrderState | null = null): Promise<void> {
    await databaseCall(this.orm, `order ${summary.orderId}: write its row`, () =>
      this.batches.submit({
        summary,
        snapshot: snapshot ? JSON.stringify(snapshot) : null,
        ended: snapshot?.ended === true,
      }),
    );
    rowWritten(this.orm, { orderId: summary.orderId, version: summary.version, state: snapshot });
  }
}

function columnsOf(orm: MikroORM, { summary }: OrderRow) {
  return {
    customer_id: summary.customerId,
    status: summary.status,
    version: summary.version,
    total_cents: summary.totalCents,
    created_at: databaseDate(orm, new Date(summary.createdAt)),
    updated_at: databaseDate(orm, new Date(summary.updatedAt)),
    changed_at: statementBuilder(orm).raw(databaseNowSql(orm)),
  };
}

type OrderColumns = ReturnType<typeof columnsOf>;

/** The row's columns, unless it holds a later version (the workflow's last state is written whatever it holds). */
async function updateRow(tx: PlainTransaction, row: OrderRow, columns: OrderColumns): Promise<number> {
  const { summary, snapshot, ended } = row;
  const target = tx.sql('order_summary').where('order_id', summary.orderId);
  const update = (ended ? target : target.where('version', '<=', summary.version)).update({
    ...columns,
    ...(snapshot ? { snapshot } : {}),
  });
  return (await tx.write(update)).changes;
}

/**
 * Each row in turn (in order-id order, the order concurrent batches lock rows in; one order's writes as they came):
 * a guarded UPDATE, else an INSERT that yields to a row made meanwhile by another process, then the guarded UPDATE
 * once more if it did (that row may be older). No interleaving of writers leaves a row older than the newest
 * version written; a new order's row is one UPDATE that finds nothing and its INSERT.
 */
async function writeRows(
  tx: PlainTransaction,
  rows: readonly OrderRow[],
): Promise<PromiseSettledResult<void>[]> {
  const byOrder = [...rows].sort((a, b) => a.summary.orderId.localeCompare(b.summary.orderId));
  for (const row of byOrder) {
    const columns = columnsOf(tx.orm, row);
    if ((await updateRow(tx, row, columns)) > 0) continue;
    const insert = tx
      .sql('order_summary')
      .insert({ order_id: row.summary.orderId, ...columns, snapshot: row.snapshot })
      .onConflict('order_id')
      .ignore();
    if ((await tx.write(insert)).changes === 0) await updateRow(tx, row, columns);
  }
  return rows.map(() => ({ status: 'fulfilled', value: undefined }));
}

/**
 * The order as its workflow last wrote it; null when the row is missing or predates the read model. Plain SQL on
 * the ORM's connection: this is the API's hottest read, and a unit of work would cost five times the query.
 */
export async function readOrderSnapshot(orm: MikroORM, orderId: string): Promise<OrderState | null> {
  const [row] = await databaseCall(orm, `order ${orderId}: read its snapshot`, () =>
    readRows<{ snapshot: string | null }>(
      orm,
      statementBuilder(orm)('order_summary').where('order_id', orderId).select('snapshot'),
    ),
  );
  return parseSnapshot(orderId, row?.snapshot ?? null);
}

/**
 * The states last parsed, by order, with the text they came from: reading a row again whose snapshot has not
 * changed parses nothing (parsing was a fifth of the CPU of a page of 50 orders read again and again). The same
 * state object goes to every reader, frozen, so a reader that tried to change it would fail at once.
 */
const parsedSnapshots = new LRUCache<string, { text: string; state: OrderState }>({ max: 1_000 });

function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

export function parseSnapshot(orderId: string, snapshot: string | null): OrderState | null {
  if (snapshot === null) return null;
  const parsed = parsedSnapshots.get(orderId);
  if (parsed?.text === snapshot) return parsed.state;
  const state = frozen(JSON.parse(snapshot) as OrderState);
  parsedSnapshots.set(orderId, { text: snapshot, state });
  return state;
}

/**
 * Waits (at most `timeoutMs`) until the order's snapshot satisfies `done`; answers the latest snapshot read then,
 * or null when the table never held one. Primary-key reads, cheaper than asking the workflow at every change.
 */
export function waitForSnapshot(
  orm: MikroORM,
  orderId: string,
  done: (state: OrderState) => boolean,
  timeoutMs: number,
): Promise<OrderState | null> {
  return pollUntil(
    () => readOrderSnapshot(orm, orderId),
    (state) => state !== null && done(state),
    timeoutMs,
    (ms) => pauseUntilWritten(orm, orderId, ms),
  );
}
