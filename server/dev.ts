/**
 * `npm run dev`: the embedded default, everything on one machine with no infrastructure: a Temporal dev
 * server (unless TEMPORAL_ADDRESS is set), the worker in this process, the API and the demo page.
 * Ctrl-C stops all of it.
 */
import './production-mode';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { readConfig } from '../common/config';
import { describePayloadEncryption, encryptingDataConverter } from '../common/payload-codec';
import { seedDemoProducts } from '../database/catalog';
import { openOrm } from '../database/orm';
import { createActivities } from '../worker/activities';
import { createOrderWorker } from '../worker/run-worker';
import { runtimeLogger } from '../worker/runtime-logger';
import { firstOf } from './app';
import { CODEC_PATH, devCodecAccess } from './codec-endpoint';
import { devPayloadKeyFile, devPayloadKeys } from './dev-payload-key';
import { DEV_TOKEN_PATH, devSecret, devTokenHandler } from './dev-tokens';
import { startApi } from './start-api';
import { startTemporalDevServer } from './temporal-dev-server';
import { webDemoHandler } from './web-demo-assets';

const DEV_SECRET_FILE = '.data/auth-secret';

Runtime.install({ logger: runtimeLogger('WARN'), shutdownSignals: [] });
const configured = readConfig();
const { auth } = configured;
/** With no identity provider configured, dev mode signs its own tokens with a secret kept in `.data/`. */
const devSigning = !auth.disabled && !auth.jwksUrl;
const config = devSigning
  ? { ...configured, auth: { ...auth, jwtSecret: auth.jwtSecret ?? devSecret(DEV_SECRET_FILE) } }
  : configured;
const devDbFile = process.env.TEMPORAL_DEV_DB || '.data/temporal.sqlite';
const webUiPort = Number(process.env.TEMPORAL_DEV_UI_PORT ?? 8233);
const payloadKeys = devPayloadKeys(config.payloadKeys, devPayloadKeyFile(devDbFile));
const cleanups: (() => Promise<void>)[] = [];
/** Set by Ctrl-C or SIGTERM; during start-up the next finished step notices it and everything stops. */
let stopRequested = false;
let started = false;

class StopRequested extends Error {}

function tokenHelp(apiUrl: string): string {
  return `
  a token for GraphiQL (role customer, staff or admin; sub is the customer id):
    curl -s -X POST ${apiUrl}${DEV_TOKEN_PATH} -d '{"role":"staff","sub":"grace"}'
  then in GraphiQL's Headers tab: { "Authorization": "Bearer <token>" }`;
}

async function stopAll(): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    await cleanup().catch((error: unknown) => console.error(error));
  }
}

/** Starts one part and registers how to stop it before anything else can happen. */
async function launch<T>(start: () => Promise<T>, stop: (part: T) => Promise<void>): Promise<T> {
  const part = await start();
  cleanups.push(() => stop(part));
  if (stopRequested) throw new StopRequested();
  return part;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopRequested) return;
    stopRequested = true;
    console.log('stopping...');
    // Still starting: the step under way registers its part, sees the request and stops everything.
    if (started) void stopAll().then(() => process.exit(0));
  });
}

try {
  let temporalAddress = config.temporalAddress;
  let temporalUi = 'the Web UI of your Temporal server';
  if (!temporalAddress) {
    const devServer = await launch(
      () =>
        startTemporalDevServer({
          dbFile: devDbFile,
          port: Number(process.env.TEMPORAL_DEV_PORT ?? 7233),
          uiPort: webUiPort,
          metricsPort: Number(process.env.TEMPORAL_DEV_METRICS_PORT ?? 0) || undefined,
          codecEndpoint: `http://localhost:${config.port}${CODEC_PATH}`,
        }),
      (server) => server.stop(),
    );
    temporalAddress = devServer.address;
    temporalUi = devServer.uiUrl ?? temporalUi;
  }
  const address = temporalAddress;

  const orm = await launch(
    () => openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath }),
    (opened) => opened.close(),
  );
  await seedDemoProducts(orm);

  // One connection for the API's client and the worker: an order's workflow then starts eagerly, on this worker.
  const connection = await launch(
    () => NativeConnection.connect({ address }),
    (open) => open.close(),
  );
  const api = await launch(
    () =>
      startApi(
        { ...config, payloadKeys },
        orm,
        connection,
        devSigning ? firstOf(devTokenHandler(config.auth), webDemoHandler()) : webDemoHandler(),
        devCodecAccess(webUiPort),
      ),
    (running) => running.close(),
  );

  await launch(
    async () => {
      const worker = await createOrderWorker({
        connection,
        namespace: config.temporalNamespace,
        taskQueue: config.taskQueue,
        activities: createActivities({ orm, simulatedLatencyMs: config.simulatedProviderLatencyMs }),
        dataConverter: encryptingDataConverter(payloadKeys),
        tuning: config.worker,
      });
      return { worker, running: worker.run() };
    },
    async ({ worker, running }) => {
      worker.shutdown();
      await running;
    },
  );
  started = true;

  console.log(`
Orderflow is running
  demo page        ${api.url}/
  GraphQL/GraphiQL ${api.url}/graphql
  Temporal Web UI  ${temporalUi} (payloads decoded through ${api.url}${CODEC_PATH})
  ${describePayloadEncryption(payloadKeys)}
  inventory        ${config.databaseUrl ? 'MySQL' : config.sqlitePath}${devSigning ? tokenHelp(api.url) : ''}
Ctrl-C stops everything.`);
} catch (error) {
  if (!(error instanceof StopRequested)) console.error(error);
  await stopAll();
  process.exit(stopRequested ? 0 : 1);
}
