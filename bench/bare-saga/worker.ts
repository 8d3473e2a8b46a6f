/**
 * The bare saga's worker in a process of its own, as the real saga's is, built by the project's createOrderWorker
 * with the project's cache and slots (the WORKER_* settings): one worker per role, regular activities on their
 * roles' queues. Forked by bench/saga-throughput.ts with TEMPORAL_ADDRESS, TASK_QUEUE, BARE_WORKFLOW_BUNDLE (the
 * bundled bare workflows) and BARE_REPORTED_VERSIONS: it tells the benchmark when an order reaches one of them.
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { readConfig } from '../../common/config';
import { createOrderWorker } from '../../worker/run-worker';
import { runtimeLogger } from '../../worker/runtime-logger';
import { announce, stopOnRequest } from '../bench-process';
import { bareActivities } from './activities';

Runtime.install({ logger: runtimeLogger('WARN'), shutdownSignals: [] });
const config = readConfig();
const bundle = process.env.BARE_WORKFLOW_BUNDLE;
if (!config.temporalAddress || !bundle) {
  throw new Error('TEMPORAL_ADDRESS and BARE_WORKFLOW_BUNDLE must be set');
}
const reported = new Set((process.env.BARE_REPORTED_VERSIONS ?? '').split(',').map(Number));

const connection = await NativeConnection.connect({ address: config.temporalAddress });
const worker = await createOrderWorker({
  connection,
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  activities: bareActivities((workflowId, version) => {
    if (reported.has(version)) announce({ type: 'reached', workflowId, version });
  }),
  workflowBundle: { codePath: bundle },
  tuning: config.worker,
});
const running = worker.run();
stopOnRequest(async () => {
  worker.shutdown();
  await running;
  await connection.close();
});
running.catch((error: unknown) => {
  console.error(`bare worker on ${config.taskQueue} stopped:`, error);
  process.exit(1);
});
announce({ type: 'ready' });
