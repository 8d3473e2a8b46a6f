/** A fresh MariaDB database per test file (files run in parallel), dropped afterwards. */
import { afterAll, beforeAll } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../database/scratch-database';
import { createActivities } from '../../worker/activities';
import type { OrderActivities } from '../../worker/activities/contract';

export const MARIADB_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

export type TestDatabase = ScratchDatabase;

export function createTestOrm(server = MARIADB_URL): Promise<TestDatabase> {
  return createScratchDatabase(server);
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
