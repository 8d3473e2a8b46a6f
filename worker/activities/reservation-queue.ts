/**
 * Group commit of reservations. While one transaction is writing, the reservations that arrive wait; the next
 * transaction takes them all: it locks their product rows once (FOR UPDATE, ascending SKU), decides each
 * reservation in arrival order against the units left, and writes the accepted ones' idempotency keys, lines
 * and stock in three statements. Each reservation is still all-or-nothing and idempotent as if it had its own
 * transaction, but a hot SKU is locked once per batch instead of once per reservation.
 */
import type { MikroORM } from '@mikro-orm/core';
import { effectKey } from '../../common/ids';
import { GroupCommit } from '../../database/group-commit';
import type { PlainTransaction } from '../../database/plain-sql';
import { BusinessError } from './business-error';
import { insertKeys } from './idempotency';
import { lockProducts, mergedBySku, moveStock, type StockMove } from './stock-rows';

interface Reservation {
  orderId: string;
  /** Merged by SKU, ascending. */
  moves: StockMove[];
}

/** Why `reservation` cannot take its units from what is `left`, if it cannot. */
function refusal(reservation: Reservation, left: ReadonlyMap<string, number>): BusinessError | undefined {
  const { orderId, moves } = reservation;
  const unknown = moves.filter((move) => !left.has(move.sku)).map((move) => move.sku);
  if (unknown.length > 0) {
    return new BusinessError('UNKNOWN_SKU', `order ${orderId}: reserve: unknown sku ${unknown.join(', ')}`);
  }
  const short = moves.filter((move) => (left.get(move.sku) ?? 0) < move.quantity);
  if (short.length === 0) return undefined;
  const detail = short.map((move) => `${move.sku} (${left.get(move.sku)} left, ${move.quantity} wanted)`);
  return new BusinessError('OUT_OF_STOCK', `order ${orderId}: reserve: out of stock: ${detail.join(', ')}`);
}

/**
 * Writes one batch (one reservation per key) in the transaction `tx` and returns the refused ones by key.
 * A key already stored is a repeat: it answers as the first time did (a reserve answers nothing) and writes
 * nothing; a refusal is not stored, so the same order may reserve again later.
 */
async function writeBatch(
  tx: PlainTransaction,
  batch: ReadonlyMap<string, Reservation>,
): Promise<Map<string, BusinessError>> {
  const skus = [...new Set([...batch.values()].flatMap(({ moves }) => moves.map((move) => move.sku)))].sort();
  const left = await lockProducts(tx, skus);
  // Looked up only once the rows are locked: a worker writing one of these keys holds the same rows, so it has
  // committed by now, and this is the transaction's first plain read, so its snapshot starts after that commit.
  const stored = await tx.rows<{ key: string }>(
    tx
      .sql('idempotency_key')
      .whereIn('key', [...batch.keys()])
      .select('key'),
  );
  const repeats = new Set(stored.map((row) => row.key));
  const fresh = [...batch].filter(([key]) => !repeats.has(key));
  const refusals = new Map<string, BusinessError>();
  const accepted: [string, Reservation][] = [];
  for (const [key, reservation] of fresh) {
    const refused = refusal(reservation, left);
    if (refused) {
      refusals.set(key, refused);
      continue;
    }
    for (const move of reservation.moves) left.set(move.sku, (left.get(move.sku) ?? 0) - move.quantity);
    accepted.push([key, reservation]);
  }
  if (accepted.length === 0) return refusals;

  await insertKeys(
    tx,
    accepted.map(([key]) => key),
  );
  await tx.write(
    tx.sql('reservation_line').insert(
      accepted.flatMap(([, { orderId, moves }]) =>
        moves.map((move) => ({
          order_id: orderId,
          sku: move.sku,
          quantity: move.quantity,
          status: 'RESERVED',
        })),
      ),
    ),
  );
  await moveStock(
    tx,
    mergedBySku(accepted.flatMap(([, reservation]) => reservation.moves)),
    'available',
    'reserved',
  );
  return refusals;
}

/** One order's reservation, under its idempotency key. */
interface KeyedReservation {
  key: string;
  reservation: Reservation;
}

/** Writes a batch; duplicates of one key in it share one reservation, and each hears whether it was refused. */
async function writeKeyedBatch(
  tx: PlainTransaction,
  items: readonly KeyedReservation[],
): Promise<PromiseSettledResult<void>[]> {
  const refusals = await writeBatch(tx, new Map(items.map(({ key, reservation }) => [key, reservation])));
  return items.map(({ key }) => {
    const refused = refusals.get(key);
    return refused ? { status: 'rejected', reason: refused } : { status: 'fulfilled', value: undefined };
  });
}

export class ReservationQueue {
  private readonly batches: GroupCommit<KeyedReservation>;

  constructor(orm: MikroORM) {
    this.batches = new GroupCommit(orm, writeKeyedBatch);
  }

  /** Resolves once the units are reserved (or were, by an earlier call with this order id); rejects a refusal. */
  reserve(orderId: string, moves: StockMove[]): Promise<void> {
    return this.batches.submit({ key: effectKey(orderId, 'reserve'), reservation: { orderId, moves } });
  }
}
