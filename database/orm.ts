/** Opens MikroORM on MySQL when a URL is given, else on an embedded SQLite file, and brings the schema up to date. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MikroORM as SqliteORM } from '@mikro-orm/better-sqlite';
import type { MikroORM } from '@mikro-orm/core';
import { MikroORM as MySqlORM } from '@mikro-orm/mysql';
import { redactedError, redactUrl } from '../common/redact';
import { ENTITIES } from './entities';

export interface DatabaseOptions {
  /** `mysql://user:password@host:port/database`; unset means the SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
}

/** A failure to open says why without the URL's password: it is printed at start-up, where logs are kept. */
export async function openOrm(options: DatabaseOptions): Promise<MikroORM> {
  try {
    return await open(options);
  } catch (error) {
    throw redactedError(error);
  }
}

async function open(options: DatabaseOptions): Promise<MikroORM> {
  const shared = { entities: ENTITIES, allowGlobalContext: false };
  let orm: MikroORM;
  if (options.databaseUrl) {
    if (!/^mysql:\/\//.test(options.databaseUrl)) {
      throw new Error(`DATABASE_URL must be a mysql:// URL, got "${redactUrl(options.databaseUrl)}"`);
    }
    orm = await MySqlORM.init({ ...shared, clientUrl: options.databaseUrl, pool: { min: 0, max: 32 } });
  } else {
    await mkdir(dirname(options.sqlitePath), { recursive: true });
    // better-sqlite3: synchronous calls, where sqlite3 made three trips through libuv's pool for every statement (a
    // tenth of the embedded process's JavaScript thread under load). Its build syncs a write-ahead log only at
    // checkpoints (synchronous NORMAL); every connection it opens syncs each commit instead, so a commit (a
    // reservation) survives a power cut.
    orm = await SqliteORM.init({
      ...shared,
      dbName: options.sqlitePath,
      pool: {
        afterCreate: (
          connection: { pragma(source: string): unknown },
          done: (error: null, opened: unknown) => void,
        ) => {
          connection.pragma('synchronous = full');
          done(null, connection);
        },
      },
    });
    // Write-ahead logging: a commit is one append and one sync to the log, where the default journal writes, syncs and
    // deletes a file of its own each time, and readers no longer wait for a writer. Kept in the file.
    await orm.em.getConnection().execute('pragma journal_mode = wal');
  }
  await updateSchema(orm);
  return orm;
}

/**
 * Safe mode only creates and widens: the database may hold other applications' tables, and an older worker
 * still running must not lose columns. Two processes starting together may both create a table; the loser
 * retries and finds it there.
 */
async function updateSchema(orm: MikroORM, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await orm.getSchemaGenerator().updateSchema({ safe: true });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
