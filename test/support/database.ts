/** A fresh MariaDB database per test file (files run in parallel), dropped afterwards. */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { createActivities } from '../../worker/activities';
import type { OrderActivities } from '../../worker/activities/contract';
import { openOrm } from '../../worker/db/orm';

export const MARIADB_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  orm: MikroORM;
  databaseUrl: string;
  dispose(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const connection = await createConnection(MARIADB_URL);
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

export async function createTestOrm(): Promise<TestDatabase> {
  const name = `of_test_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const databaseUrl = `${MARIADB_URL}/${name}`;
  const orm = await openOrm({ databaseUrl, sqlitePath: '' });
  return {
    orm,
    databaseUrl,
    async dispose() {
      await orm.close(true);
      await admin(`DROP DATABASE IF EXISTS ${name}`);
    },
  };
}

/** For a test file of activity tests: a fresh database and the real activities on it, for the whole file. */
export function useActivitiesOnTestDatabase(): { db(): TestDatabase; activities(): OrderActivities } {
  let db: TestDatabase;
  let activities: OrderActivities;
  beforeAll(async () => {
    db = await createTestOrm();
    activities = createActivities({ orm: db.orm });
  });
  afterAll(() => db?.dispose());
  return { db: () => db, activities: () => activities };
}
