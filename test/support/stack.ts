/** The whole system in the test process: Temporal dev server, MariaDB database, worker and API. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readConfig } from '../../common/config';
import { encryptingDataConverter } from '../../common/payload-codec';
import { firstOf } from '../../server/app';
import type { CodecAccess } from '../../server/codec-endpoint';
import { devTokenHandler } from '../../server/dev-tokens';
import { type RunningApi, startApi } from '../../server/start-api';
import { webDemoHandler } from '../../server/web-demo-assets';
import { createActivities } from '../../worker/activities';
import type { OrderWorker } from '../../worker/run-worker';
import { createTestOrm, type TestDatabase } from './database';
import { startDevServer, startWorker } from './temporal';

export interface Stack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  api: RunningApi;
  /** The environment a second server process needs to join this stack. */
  processEnv: Record<string, string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** No worker runs here: start one in another process from `processEnv`. */
  workerApart?: boolean;
  /** Who may call the codec endpoint. */
  codecAccess?: CodecAccess;
  /** The MariaDB server that holds the stack's scratch database (by default the shared one, `MARIADB_URL`). */
  databaseServer?: string;
}

/**
 * A `PAYLOAD_KEY` in `settings` encrypts payloads in the API and the worker alike.
 */
export async function startStack(
  taskQueue: string,
  settings: Record<string, string> = {},
  { workerApart = false, codecAccess, databaseServer }: StackOptions = {},
): Promise<Stack> {
  const [env, db] = await Promise.all([startDevServer(), createTestOrm(databaseServer)]);
  const processEnv = {
    TEMPORAL_ADDRESS: env.address,
    DATABASE_URL: db.databaseUrl,
    TASK_QUEUE: taskQueue,
    RETURN_WINDOW: '2s',
    // Suites about other behaviour run with authentication off; the access suites pass AUTH_JWT_SECRET.
    AUTH_DISABLED: settings.AUTH_JWT_SECRET ? 'false' : 'true',
    ...settings,
  };
  const config = readConfig({ ...processEnv, PORT: '0' });
  // With a secret the stack signs tokens at /dev/token, as `npm run dev` does, for the demo page to sign in.
  const handler = config.auth.jwtSecret
    ? firstOf(devTokenHandler(config.auth), webDemoHandler())
    : webDemoHandler();
  // A worker in the test's process shares the API's connection, as in `npm run dev` (orders start eagerly).
  const temporal = workerApart ? env.address : env.nativeConnection;
  const api = await startApi(config, db.orm, temporal, handler, codecAccess);
  const worker: OrderWorker | undefined = workerApart
    ? undefined
    : await startWorker(
        env,
        taskQueue,
        createActivities({ orm: db.orm }),
        encryptingDataConverter(config.payloadKeys),
      );
  const running = worker?.run();
  return {
    env,
    db,
    api,
    processEnv,
    async stop() {
      worker?.shutdown();
      await running;
      await api.close();
      await env.teardown();
      await db.dispose();
    },
  };
}
