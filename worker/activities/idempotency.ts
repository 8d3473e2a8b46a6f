/**
 * Runs a side effect at most once per key: the key row is written in the same transaction as the
 * effect, and a repeat (a retry after a lost response, a concurrent duplicate) gets the first answer
 * back without the effect running again, whatever has changed since. Plain SQL (knex on the ORM's
 * connection): a charge, a booking and a sale each run here, and MikroORM's unit of work around them cost
 * twice the statements' own CPU (README, "Benchmarks").
 */
import type { MikroORM } from '@mikro-orm/core';
import { storedNow } from '../../database/clock';
import {
  inTransaction,
  isDuplicateKey,
  type PlainTransaction,
  readRows,
  statementBuilder,
} from '../../database/plain-sql';

/** Stores keys not used before, with no answer yet; fails on the unique index when one is taken. */
export async function insertKeys(tx: PlainTransaction, keys: readonly string[]): Promise<void> {
  const createdAt = storedNow(tx.orm);
  await tx.write(
    tx.sql('idempotency_key').insert(keys.map((key) => ({ key, result: 'null', created_at: createdAt }))),
  );
}

/**
 * The key is inserted first, before the effect takes any row lock: a concurrent duplicate then waits on
 * the key, not on a hot product row, and the effect's locks are held for as few statements as possible.
 * A repeat fails on the key's unique index and reads the stored answer, so the common path reads nothing.
 * A failure (a business refusal included) rolls the key back with the effect, so it is never recorded.
 */
export async function runOnce<T>(
  orm: MikroORM,
  key: string,
  effect: (tx: PlainTransaction) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(orm, async (tx) => {
      await insertKeys(tx, [key]);
      const result = await effect(tx);
      if (result !== undefined)
        await tx.write(
          tx
            .sql('idempotency_key')
            .where({ key })
            .update({ result: JSON.stringify(result) }),
        );
      return result;
    });
  } catch (error) {
    if (!isDuplicateKey(orm, error)) throw error;
    const [earlier] = await readRows<{ result: string }>(
      orm,
      statementBuilder(orm)('idempotency_key').where({ key }).first('result'),
    );
    if (!earlier) throw error;
    return JSON.parse(earlier.result) as T;
  }
}

/**
 * Takes a key that no effect has used yet, so that an effect arriving later with it (a timed-out attempt that
 * lands after its compensation ran) is a no-op. False when the key is taken: the effect did happen.
 */
export async function claimKey(tx: PlainTransaction, key: string): Promise<boolean> {
  try {
    await insertKeys(tx, [key]);
    return true;
  } catch (error) {
    if (isDuplicateKey(tx.orm, error)) return false;
    throw error;
  }
}
