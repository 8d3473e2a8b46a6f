/**
 * `npm run worker`: the saga's workers on their own, against TEMPORAL_ADDRESS and DATABASE_URL (or SQLite), for the
 * roles in WORKER_ROLES (all by default).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { readConfig } from '../common/config';
import { describePayloadEncryption, encryptingDataConverter } from '../common/payload-codec';
import { taskQueueOf } from '../common/task-queues';
import { openOrm } from '../database/orm';
import { createActivities } from './activities';
import { createOrderWorker } from './run-worker';
import { runtimeLogger } from './runtime-logger';

Runtime.install({ logger: runtimeLogger('INFO') });
const config = readConfig();
const orm = await openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
const connection = await NativeConnection.connect({ address: config.temporalAddress ?? 'localhost:7233' });
const worker = await createOrderWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  roles: config.workerRoles,
  activities: createActivities({ orm, simulatedLatencyMs: config.simulatedProviderLatencyMs }),
  dataConverter: encryptingDataConverter(config.payloadKeys),
  workflowBundle: config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined,
  tuning: config.worker,
});
const queues = config.workerRoles.map((role) => `"${taskQueueOf(config.taskQueue, role)}"`);
console.log(
  `worker polling task queues ${queues.join(', ')} on ${config.temporalAddress ?? 'localhost:7233'}`,
);
(config.payloadKeys ? console.log : console.warn)(`worker: ${describePayloadEncryption(config.payloadKeys)}`);
try {
  await worker.run();
} finally {
  await connection.close();
  await orm.close();
}
