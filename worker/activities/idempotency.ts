/**
 * Runs a side effect at most once per key: the key row is written in the same transaction as the
 * effect, and a repeat (a retry after a lost response, a concurrent duplicate) gets the first answer
 * back without the effect running again, whatever has changed since.
 */
import { type EntityManager, type MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { IdempotencyKeySchema } from '../../database/entities';

async function storedResult<T>(em: EntityManager, key: string): Promise<{ value: T } | undefined> {
  const row = await em.findOne(IdempotencyKeySchema, { key });
  return row ? { value: JSON.parse(row.result) as T } : undefined;
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
  effect: (em: EntityManager) => Promise<T>,
): Promise<T> {
  try {
    return await orm.em.transactional(async (em) => {
      await em.insert(IdempotencyKeySchema, { key, result: 'null', createdAt: new Date() });
      const result = await effect(em);
      if (result !== undefined)
        await em.nativeUpdate(IdempotencyKeySchema, { key }, { result: JSON.stringify(result) });
      return result;
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    const earlier = await storedResult<T>(orm.em.fork(), key);
    if (!earlier) throw error;
    return earlier.value;
  }
}

/**
 * Takes a key that no effect has used yet, so that an effect arriving later with it (a timed-out attempt that
 * lands after its compensation ran) is a no-op. False when the key is taken: the effect did happen.
 */
export async function claimKey(em: EntityManager, key: string): Promise<boolean> {
  try {
    await em.insert(IdempotencyKeySchema, { key, result: 'null', createdAt: new Date() });
    return true;
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return false;
    throw error;
  }
}
