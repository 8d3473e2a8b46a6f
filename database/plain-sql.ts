/**
 * The ORM's own knex, for the statements written without entities: the API's hottest reads and the saga's hottest
 * writes, where hydrating entities into a unit of work cost more than the statements themselves. Same connection
 * pool, same isolation, the same tables MikroORM keeps up to date.
 */
import { type MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { BaseSqlitePlatform, type Knex, type SqlEntityManager } from '@mikro-orm/knex';

/** A transaction in plain SQL, with the ORM it runs on: its platform decides dates, locks and error codes. */
export interface PlainTransaction {
  orm: MikroORM;
  sql: Knex.Transaction;
}

export function plainSql(orm: MikroORM): Knex {
  return (orm.em as SqlEntityManager).getKnex();
}

export function isSqlite(orm: MikroORM): boolean {
  return orm.em.getPlatform() instanceof BaseSqlitePlatform;
}

export function inTransaction<T>(orm: MikroORM, work: (tx: PlainTransaction) => Promise<T>): Promise<T> {
  return plainSql(orm).transaction((sql) => work({ orm, sql }));
}

/** Runs a write in the transaction and answers how many rows it changed, as the driver counts them. */
export async function changedRows(tx: PlainTransaction, write: Knex.QueryBuilder): Promise<number> {
  const { sql, bindings } = write.toSQL();
  // knex answers a raw write as its driver does: better-sqlite3 with { changes }, mysql2 with [{ affectedRows }].
  const result = await tx.sql.raw(sql, bindings);
  return isSqlite(tx.orm)
    ? (result as { changes: number }).changes
    : (result as [{ affectedRows: number }])[0].affectedRows;
}

/** The query as a locking read (FOR UPDATE); SQLite has a single writer and no such clause. */
export function forUpdate<Q extends Knex.QueryBuilder>({ orm }: PlainTransaction, query: Q): Q {
  return isSqlite(orm) ? query : (query.forUpdate() as Q);
}

/** A driver's error (MySQL's or SQLite's, as knex passes it on) as MikroORM classes it: a deadlock, a duplicate key. */
export function driverException(orm: MikroORM, error: unknown): unknown {
  return error instanceof Error ? orm.em.getDriver().convertException(error) : error;
}

export function isDuplicateKey(orm: MikroORM, error: unknown): boolean {
  return driverException(orm, error) instanceof UniqueConstraintViolationException;
}
