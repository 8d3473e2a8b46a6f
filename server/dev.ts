/**
 * `npm run dev`: the embedded default, everything on one machine with no infrastructure: a Temporal dev
 * server (unless TEMPORAL_ADDRESS is set), the worker in this process, the API and the demo page.
 * Ctrl-C stops all of it.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { readConfig } from '../common/config';
import { createActivities } from '../worker/activities';
import { seedDemoProducts } from '../worker/catalog';
import { openOrm } from '../worker/db/orm';
import { createOrderWorker } from '../worker/run-worker';
import { startApi } from './start-api';
import { startTemporalDevServer } from './temporal-dev-server';
import { webDemoHandler } from './web-demo-assets';

Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
const config = readConfig();
const cleanups: (() => Promise<void>)[] = [];

async function stopAll(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
}

try {
  let temporalAddress = config.temporalAddress;
  let temporalUi = 'the Web UI of your Temporal server';
  if (!temporalAddress) {
    const devServer = await startTemporalDevServer({
      dbFile: '.data/temporal.sqlite',
      port: Number(process.env.TEMPORAL_DEV_PORT ?? 7233),
      uiPort: Number(process.env.TEMPORAL_DEV_UI_PORT ?? 8233),
    });
    cleanups.push(() => devServer.stop());
    temporalAddress = devServer.address;
    temporalUi = devServer.uiUrl;
  }

  const orm = await openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  cleanups.push(() => orm.close());
  await seedDemoProducts(orm);

  const api = await startApi(config, orm, temporalAddress, webDemoHandler());
  cleanups.push(() => api.close());

  const connection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createOrderWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    activities: createActivities({ orm, simulatedLatencyMs: config.simulatedProviderLatencyMs }),
    onStatusChange: (orderId) => api.feed.nudge(orderId),
  });
  const running = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });

  console.log(`
Orderflow is running
  demo page        ${api.url}/
  GraphQL/GraphiQL ${api.url}/graphql
  Temporal Web UI  ${temporalUi}
  inventory        ${config.databaseUrl ? 'MySQL' : config.sqlitePath}
Ctrl-C stops everything.`);
} catch (error) {
  console.error(error);
  await stopAll();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    console.log('stopping...');
    await stopAll();
    process.exit(0);
  });
}
