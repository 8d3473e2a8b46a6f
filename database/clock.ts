/**
 * The database's clock as a SQL fragment: rows stamped with it are compared only with each other, so the clocks
 * of workers and API servers (which may drift apart) never enter the comparison.
 */
import { type MikroORM, raw } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sqlite';

export function databaseNowMs(orm: MikroORM) {
  return orm.em.getPlatform() instanceof SqlitePlatform
    ? raw(`cast(round((julianday('now') - 2440587.5) * 86400000) as integer)`)
    : raw('cast(unix_timestamp(now(3)) * 1000 as signed)');
}
