/**
 * A throwaway MySQL database with the schema in place, dropped afterwards: for tests, benchmarks and the
 * recording of replay histories, each on a database of its own.
 */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { createConnection } from 'mysql2/promise';
import { openOrm } from './orm';

export interface ScratchDatabase {
  orm: MikroORM;
  databaseUrl: string;
  dispose(): Promise<void>;
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const connection = await createConnection(serverUrl);
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** `serverUrl` names the server only (`mysql://root@127.0.0.1:3306`); the database gets a fresh name. */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `of_scratch_${randomBytes(5).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const databaseUrl = `${serverUrl}/${name}`;
  const orm = await openOrm({ databaseUrl, sqlitePath: '' });
  return {
    orm,
    databaseUrl,
    async dispose() {
      await orm.close(true);
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
