/** `npm run worker`: the saga worker on its own, against TEMPORAL_ADDRESS and DATABASE_URL (or SQLite). */
import { NativeConnection } from '@temporalio/worker';
import { readConfig } from '../common/config';
import { createActivities } from './activities';
import { openOrm } from './db/orm';
import { createOrderWorker } from './run-worker';

const config = readConfig();
const orm = await openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
const connection = await NativeConnection.connect({ address: config.temporalAddress ?? 'localhost:7233' });
const worker = await createOrderWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  activities: createActivities({ orm, simulatedLatencyMs: config.simulatedProviderLatencyMs }),
});
console.log(
  `worker polling task queue "${config.taskQueue}" on ${config.temporalAddress ?? 'localhost:7233'}`,
);
try {
  await worker.run();
} finally {
  await connection.close();
  await orm.close();
}
