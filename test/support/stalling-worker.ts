/**
 * A worker process that stops dead right after its local activity has written the order's snapshot at
 * `STALL_AT_STATUS`: the order table shows that change while the workflow task that made it never completes, as
 * when a worker is SIGKILLed between the two. Tests kill it there and let a sound worker take over.
 */
import { NativeConnection } from '@temporalio/worker';
import { readConfig } from '../../common/config';
import type { OrderState } from '../../common/order';
import { openOrm } from '../../database/orm';
import { createActivities } from '../../worker/activities';
import { createOrderWorker } from '../../worker/run-worker';

const stallAt = process.env.STALL_AT_STATUS;
const config = readConfig();
const orm = await openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
const activities = createActivities({ orm });
const worker = await createOrderWorker({
  connection: await NativeConnection.connect({ address: config.temporalAddress ?? 'localhost:7233' }),
  namespace: config.temporalNamespace,
  taskQueue: config.taskQueue,
  roles: config.workerRoles,
  activities: {
    ...activities,
    async recordOrderSnapshot(state: OrderState) {
      await activities.recordOrderSnapshot(state);
      if (state.status === stallAt) {
        console.log(`stalled after writing ${state.orderId} at ${state.status}`);
        await new Promise(() => {});
      }
    },
  },
  workflowBundle: config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined,
});
console.log('worker polling');
await worker.run();
