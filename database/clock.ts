/**
 * The database's clock and dates as the database holds them, for the queries written without entities. Rows
 * stamped with the database's clock are compared only with each other, so the clocks of workers and API servers
 * (which may drift apart) never enter the comparison.
 */
import type { MikroORM } from '@mikro-orm/core';
import { isSqlite } from './plain-sql';

/** Now, in ms, on the database's clock, as SQL for an UPDATE or INSERT. */
export function databaseNowSql(orm: MikroORM): string {
  return isSqlite(orm)
    ? `cast(round((julianday('now') - 2440587.5) * 86400000) as integer)`
    : 'cast(unix_timestamp(now(3)) * 1000 as signed)';
}

/** A date as MikroORM stores it: milliseconds in SQLite, a DATETIME in MySQL. */
export function databaseDate(orm: MikroORM, date: Date): Date | number {
  return isSqlite(orm) ? date.getTime() : date;
}

/** This machine's now, as a date column (`created_at`) holds it. */
export function storedNow(orm: MikroORM): Date | number {
  return databaseDate(orm, new Date());
}
