/**
 * Latency from a status change in the workflow to the subscriber's graphql-ws event, median and p99 over
 * at least 200 changes, with the worker in the API's process (the feed takes the states it writes) and with the
 * worker in another process (the feed learns of changes from the order table).  npm run bench:latency -- [orders=40]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { readConfig } from '../common/config';
import { upsertProduct } from '../database/catalog';
import { createScratchDatabase } from '../database/scratch-database';
import { startApi } from '../server/start-api';
import { temporalCliExecutable } from '../server/temporal-binaries';
import { createActivities } from '../worker/activities';
import { createOrderWorker } from '../worker/run-worker';
import { runtimeLogger } from '../worker/runtime-logger';

const orders = Number(process.argv[2] ?? 40);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const SKU = 'BENCH-MUG';

Runtime.install({ logger: runtimeLogger('WARN') });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function graphql<T>(apiUrl: string, query: string): Promise<T> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** `worker/main.ts` in its own node process, resolved once it polls; its output is read to the end. */
function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('worker polling')) resolve(child);
    });
    child.once('exit', () => reject(new Error(`the worker exited before it polled:\n${output}`)));
  });
}

/** Places and pays one order, with a subscriber that notes each change's latency after the first event. */
async function followOneOrder(apiUrl: string, latencies: number[]): Promise<void> {
  const placed = await graphql<{ placeOrder: { order: { id: string } } }>(
    apiUrl,
    `mutation { placeOrder(input: { customerId: "bench", items: [{ sku: "${SKU}", quantity: 1 }],
      address: { name: "B", line1: "1 St", city: "Oslo", postalCode: "0150", country: "NO" } }) { order { id } } }`,
  );
  const orderId = placed.placeOrder.order.id;
  const client = createClient({ url: `${apiUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket });
  let subscribed: () => void = () => undefined;
  const live = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  let first = true;
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe<{ orderStatus: { at: string } }>(
      { query: `subscription { orderStatus(id: "${orderId}") { version at } }` },
      {
        next: (message) => {
          if (!message.data) return reject(new Error(JSON.stringify(message.errors)));
          if (first) subscribed();
          else latencies.push(Date.now() - Date.parse(message.data.orderStatus.at));
          first = false;
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  await live;
  await graphql(
    apiUrl,
    `mutation { payOrder(input: { orderId: "${orderId}", paymentMethod: "tok_visa" }) { order { id } } }`,
  );
  await done;
  await client.dispose();
}

async function measure(workerApart: boolean): Promise<number[]> {
  const taskQueue = `latency-${workerApart ? 'apart' : 'in'}`;
  const [temporal, db] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: { executable: temporalCliExecutable(true), ip: '127.0.0.1' },
    }),
    createScratchDatabase(MYSQL_URL),
  ]);
  const processEnv = {
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: db.databaseUrl,
    TASK_QUEUE: taskQueue,
    RETURN_WINDOW: '1s',
  };
  const api = await startApi(
    readConfig({ ...processEnv, PORT: '0', AUTH_DISABLED: 'true' }),
    db.orm,
    workerApart ? temporal.address : temporal.nativeConnection,
  );
  const worker = workerApart
    ? undefined
    : await createOrderWorker({
        connection: temporal.nativeConnection,
        taskQueue,
        activities: createActivities({ orm: db.orm }),
      });
  const running = worker?.run();
  const child = workerApart ? await spawnWorker(processEnv) : undefined;
  const latencies: number[] = [];
  try {
    await upsertProduct(db.orm, {
      sku: SKU,
      name: 'Mug',
      priceCents: 1500,
      stock: orders,
      discontinued: false,
    });
    for (let index = 0; index < orders; index += 1) await followOneOrder(api.url, latencies);
  } finally {
    worker?.shutdown();
    await running;
    if (child && child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    await api.close();
    await temporal.teardown();
    await db.dispose();
  }
  return latencies.sort((a, b) => a - b);
}

for (const workerApart of [false, true]) {
  const latencies = await measure(workerApart);
  console.log(
    `${workerApart ? 'worker in another process' : 'worker in the API process'}: ${latencies.length} changes, ` +
      `median ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
  );
}
