/**
 * `npm run bench:saga -- [orders=200] [rounds=5] [warmup=min(20, orders)]`: the real order saga through the real
 * API against a bare workflow of the same shape, on one file-backed Temporal dev server, in one run. Rounds
 * alternate A, B, C, D, A, B, C, D...:
 *   A  the real saga: `npm run dev` as a child (API and worker in one process, SQLite, or the MySQL of
 *      BENCH_DATABASE=mysql at BENCH_MYSQL_URL), identity (a bearer token) and the payload codec on; placeOrder
 *      answers once the order awaits payment, payOrder then runs it to COMPLETED, heard on its status stream
 *   B  the bare saga of SAGA_SHAPE: no-op activities, local and regular ones as the saga has them
 *   C  the same with every activity local
 *   D  the reference the saga's goal is set against: REFERENCE_SHAPE, its activities local
 * The bare sagas run on workers of their own, each in its own process, started from this process's Temporal client.
 * Each round places `orders` orders with 20 in flight, then pays them with 50 in flight. Reported: orders/s and
 * p50/p99 of each phase, history events per order, CPU and peak RSS of the worker's process and of the dev server,
 * as medians and ranges over the rounds, with the ratios A/B and A/C; the last line of stdout is the JSON summary.
 * An order that does not complete, or is not paid exactly once, fails the run (exit code 1).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { generatePayloadKey } from '../common/payload-codec';
import { createScratchDatabase } from '../database/scratch-database';
import { allLocal, type ShapeStep, versionOf } from './bare-saga/shape';
import type { BareSagaInput } from './bare-saga/workflows';
import { type BenchChild, forkBenchChild } from './bench-process';
import {
  cpuSeconds,
  type EmbeddedStack,
  freePort,
  percentile,
  rssMiB,
  startEmbeddedStack,
  threadCpuSeconds,
} from './embedded-stack';
import {
  type HistoryCount,
  type Phase,
  printReport,
  type Round,
  summarize,
  type VariantRun,
} from './saga-report';
import {
  apiSaga,
  bareSagaVariant,
  inFlight,
  Milestones,
  type PlacedOrder,
  type SagaVariant,
} from './saga-variants';

/**
 * The real saga's happy path for one order (worker/workflows/order.ts), one row per step as Temporal sees it: what
 * B runs as it is and C with every activity local. `record` is a change of the order (its status or timeline); the
 * local activity recordOrderSnapshot writes the changes so far before the saga waits outside its workflow task; a
 * regular activity goes to its role's task queue (worker/activity-roles.ts). Not mirrored: the OrderStatus and
 * CustomerId search attributes the saga upserts where the order rests, and its patch marker (the history events per
 * order show them). When the saga changes which activities are local, or where it writes, change the rows here.
 */
const SAGA_SHAPE: ShapeStep[] = [
  { record: 'VALIDATING' },
  { activity: 'priceOrder', as: 'local' },
  { record: 'RESERVING' },
  { activity: 'reserveStock', as: 'local' },
  { record: 'RESERVING' }, // reserved
  { record: 'AWAITING_PAYMENT' }, // placeOrder answers
  { activity: 'recordOrderSnapshot', as: 'local' },
  { wait: 'payment' },
  { record: 'CHARGING' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { activity: 'chargePayment', as: 'regular' },
  { record: 'CHARGING' }, // charged
  { record: 'SHIPPING' }, // payOrder answers
  { activity: 'recordOrderSnapshot', as: 'local' },
  { child: [{ activity: 'createShipment', as: 'regular' }] }, // one per warehouse
  { record: 'SHIPPING' }, // shipped
  { activity: 'confirmSale', as: 'local' }, // the sale and its confirmation
  { record: 'COMPLETED' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { wait: 'returnWindow' },
];

/**
 * The saga's happy path as it was when its throughput goal was set (../shared/baselines/p1: 11 activities in the
 * order's workflow, a child with 2, the pay update, 2 timers), with the order's activities local as the goal asks:
 * its "all-local bare shape". It stays put while the saga changes, so A/D shows how far the saga has come against
 * one fixed yardstick; A/C shows the cost over its own current shape. The child's activities stay regular, as there.
 */
const REFERENCE_SHAPE: ShapeStep[] = [
  { record: 'VALIDATING' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { activity: 'priceOrder', as: 'local' },
  { record: 'RESERVING' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { activity: 'reserveStock', as: 'local' },
  { record: 'RESERVING' },
  { record: 'AWAITING_PAYMENT' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { wait: 'payment' },
  { record: 'CHARGING' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { activity: 'chargePayment', as: 'local' },
  { record: 'CHARGING' },
  { record: 'SHIPPING' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  {
    child: [
      { activity: 'createShipment', as: 'regular' },
      { activity: 'createShipment', as: 'regular' },
    ],
  },
  { record: 'SHIPPING' },
  { activity: 'commitSale', as: 'local' },
  { activity: 'sendNotification', as: 'local' },
  { record: 'COMPLETED' },
  { activity: 'recordOrderSnapshot', as: 'local' },
  { wait: 'returnWindow' },
];

const wholeNumber = (raw: string | undefined, fallback: number, name: string): number => {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
};
const orders = Math.max(1, wholeNumber(process.argv[2], 200, 'orders'));
const rounds = Math.max(1, wholeNumber(process.argv[3], 5, 'rounds'));
const warmup = wholeNumber(process.argv[4], Math.min(20, orders), 'warmup');
const PLACE_IN_FLIGHT = 20;
const PAY_IN_FLIGHT = 50;
/** Far beyond any order's seconds on a loaded machine: only an order that is stuck takes this long. */
const ORDER_DEADLINE_MS = 120_000;
const RSS_SAMPLE_MS = 250;
const SKU = 'BENCH-SAGA';
const WAREHOUSE = 'eu-west';
const database = process.env.BENCH_DATABASE === 'mysql' ? 'mysql' : 'sqlite';
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
/** As bench/embedded-stack.ts runs the real saga (PAYMENT_TIMEOUT 1h, RETURN_WINDOW its 30 days): beyond any round. */
const ORDER_SETTINGS = { paymentTimeoutMs: 3_600_000, returnWindowMs: 30 * 24 * 3_600_000 };

async function bundleBareWorkflows(folder: string): Promise<string> {
  const path = join(folder, 'bare-workflows.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./bare-saga/workflows.ts', import.meta.url)),
    logger: { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error },
  });
  await writeFile(path, code);
  return path;
}

interface Pids {
  worker: number;
  server: number;
}

/** Runs `count` jobs with `concurrency` in flight; times each, and the phase's CPU and peak RSS by process. */
async function measuredPhase(
  pids: Pids,
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<Phase> {
  const peak = { worker: rssMiB(pids.worker), server: rssMiB(pids.server) };
  const sampler = setInterval(() => {
    try {
      peak.worker = Math.max(peak.worker, rssMiB(pids.worker));
      peak.server = Math.max(peak.server, rssMiB(pids.server));
    } catch {
      // A process gone: the phase fails on its own, with the reason.
    }
  }, RSS_SAMPLE_MS);
  const cpuBefore = {
    worker: cpuSeconds(pids.worker),
    threads: threadCpuSeconds(pids.worker),
    server: cpuSeconds(pids.server),
    bench: process.cpuUsage(),
  };
  const started = performance.now();
  const latencies: number[] = [];
  try {
    await inFlight(count, concurrency, async (index) => {
      const jobStarted = performance.now();
      await job(index);
      latencies.push(performance.now() - jobStarted);
    });
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const bench = process.cpuUsage(cpuBefore.bench);
  const threads = threadCpuSeconds(pids.worker);
  const serverCpu = cpuSeconds(pids.server) - cpuBefore.server;
  const share = (cpu: number) => Math.round((cpu / seconds) * 1000) / 10;
  const perOrderMs = (cpu: number) => Math.round((cpu / count) * 10_000) / 10;
  return {
    perSecond: count / seconds,
    seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    cpuPercent: {
      worker: share(cpuSeconds(pids.worker) - cpuBefore.worker),
      server: share(serverCpu),
      bench: share((bench.user + bench.system) / 1e6),
    },
    cpuMsPerOrder: {
      workerMain: perOrderMs(threads.main - cpuBefore.threads.main),
      workerNode: perOrderMs(threads.node - cpuBefore.threads.node),
      workerCore: perOrderMs(threads.core - cpuBefore.threads.core),
      server: perOrderMs(serverCpu),
    },
    peakRssMiB: { worker: Math.round(peak.worker), server: Math.round(peak.server) },
  };
}

/** Places `count` orders, then pays them; throws if any did not complete or was not paid once. */
async function runOrders(
  variant: SagaVariant,
  server: number,
  count: number,
): Promise<{ round: Round; placed: PlacedOrder[] }> {
  const pids = { worker: variant.workerPid, server };
  const placed: PlacedOrder[] = [];
  const place = await measuredPhase(pids, count, PLACE_IN_FLIGHT, async () => {
    placed.push(await variant.place());
  });
  const pay = await measuredPhase(pids, count, PAY_IN_FLIGHT, (index) =>
    variant.pay(placed[index] as PlacedOrder),
  );
  await variant.verify(placed);
  return { round: { place, pay, endToEndPerSecond: count / (place.seconds + pay.seconds) }, placed };
}

const { EventType } = proto.temporal.api.enums.v1;

async function historyOf(client: Client, workflowIds: string[]): Promise<HistoryCount> {
  const byType: Record<string, number> = {};
  const sizes: number[] = [];
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    sizes.push(events.length);
    for (const event of events) {
      const type = (EventType[event.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '');
      byType[type] = (byType[type] ?? 0) + 1;
    }
  }
  const [workflow = 0, ...children] = sizes;
  const childEvents = children.reduce((sum, size) => sum + size, 0);
  return { total: workflow + childEvents, workflow, children: childEvents, byType };
}

/** Undone in reverse order on the way out, however the run ends: once, whether by a signal or the run's end. */
const cleanups: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      await cleanup().catch((error: unknown) => console.error('cleaning up:', error));
    }
  })();
  return cleaning;
}

async function startBareWorker(
  name: string,
  env: Record<string, string>,
  milestones: Milestones,
): Promise<BenchChild> {
  const child = forkBenchChild(
    name,
    fileURLToPath(new URL('./bare-saga/worker.ts', import.meta.url)),
    env,
    (message) => {
      if (message.type === 'reached') milestones.reached(String(message.workflowId), Number(message.version));
    },
  );
  cleanups.push(() => child.stop());
  await child.ready;
  return child;
}

async function run(): Promise<ReturnType<typeof summarize>> {
  const folder = await mkdtemp(join(tmpdir(), 'orderflow-bench-saga-'));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  const stackEnv: Record<string, string> = { PAYLOAD_KEY: generatePayloadKey('bench') };
  if (database === 'mysql') {
    const scratch = await createScratchDatabase(MYSQL_URL);
    cleanups.push(() => scratch.dispose());
    stackEnv.DATABASE_URL = scratch.databaseUrl;
  }
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  console.log(`starting npm run dev (${database}) and bundling the bare saga...`);
  const bundling = bundleBareWorkflows(folder);
  bundling.catch(() => undefined);
  const stack: EmbeddedStack = await startEmbeddedStack(ports, stackEnv);
  cleanups.push(() => stack.stop());
  const bundle = await bundling;

  const temporalAddress = `127.0.0.1:${ports.temporal}`;
  const connection = await Connection.connect({ address: temporalAddress });
  cleanups.push(() => connection.close());
  const client = new Client({ connection });

  const milestones = new Milestones();
  const versions = {
    awaiting: versionOf(SAGA_SHAPE, 'AWAITING_PAYMENT'),
    completed: versionOf(SAGA_SHAPE, 'COMPLETED'),
  };
  const bareVariant = async (label: string, taskQueue: string, shape: ShapeStep[]) => {
    const worker = await startBareWorker(
      label,
      {
        TEMPORAL_ADDRESS: temporalAddress,
        TASK_QUEUE: taskQueue,
        BARE_WORKFLOW_BUNDLE: bundle,
        BARE_REPORTED_VERSIONS: `${versions.awaiting},${versions.completed}`,
      },
      milestones,
    );
    const input: BareSagaInput = { shape, warehouses: [WAREHOUSE], ...ORDER_SETTINGS };
    const variant = bareSagaVariant({
      label,
      client,
      workerPid: worker.pid,
      taskQueue,
      input,
      milestones,
      versions,
      orderDeadlineMs: ORDER_DEADLINE_MS,
    });
    return { variant, lost: worker.lost };
  };
  const [real, same, local, reference] = await Promise.all([
    apiSaga({
      stack,
      sku: SKU,
      warehouse: WAREHOUSE,
      stock: warmup + orders * rounds,
      orderDeadlineMs: ORDER_DEADLINE_MS,
    }),
    bareVariant('bare saga, same kinds', 'bare-same', SAGA_SHAPE),
    bareVariant('bare saga, all local', 'bare-local', allLocal(SAGA_SHAPE)),
    bareVariant('reference shape, local', 'bare-reference', REFERENCE_SHAPE),
  ]);
  cleanups.push(() => real.close());
  const variants: [string, SagaVariant][] = [
    ['A', real],
    ['B', same.variant],
    ['C', local.variant],
    ['D', reference.variant],
  ];

  const measure = async (): Promise<VariantRun[]> => {
    if (warmup > 0) {
      console.log(`warm-up: ${warmup} orders each`);
      for (const [, variant] of variants) await runOrders(variant, stack.temporalPid, warmup);
    }
    const runs = variants.map(([key, variant]) => ({
      key,
      label: variant.label,
      rounds: [] as Round[],
      ordersChecked: 0,
      history: { total: 0, workflow: 0, children: 0, byType: {} } as HistoryCount,
    }));
    for (let round = 1; round <= rounds; round += 1) {
      for (const [index, [key, variant]] of variants.entries()) {
        const measured = await runOrders(variant, stack.temporalPid, orders);
        const runOfVariant = runs[index] as VariantRun;
        runOfVariant.rounds.push(measured.round);
        runOfVariant.ordersChecked += measured.placed.length;
        if (round === 1)
          runOfVariant.history = await historyOf(
            client,
            variant.executions(measured.placed[0] as PlacedOrder),
          );
        const { place, pay } = measured.round;
        console.log(
          `round ${round}/${rounds} ${key}: place ${place.perSecond.toFixed(1)}/s, pay ${pay.perSecond.toFixed(1)}/s`,
        );
      }
    }
    return runs;
  };
  const measuring = measure();
  // A lost worker ends the run; the orders still in flight then fail too, and nobody need hear of them.
  measuring.catch(() => undefined);
  const [realRun, ...bareRuns] = await Promise.race([measuring, same.lost, local.lost, reference.lost]);
  return summarize(realRun as VariantRun, bareRuns, {
    orders,
    rounds,
    warmup,
    database,
    placeInFlight: PLACE_IN_FLIGHT,
    payInFlight: PAY_IN_FLIGHT,
    shape: SAGA_SHAPE,
  });
}

let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}
try {
  const summary = await run();
  console.log();
  printReport(
    summary,
    `${orders} orders a round, ${rounds} rounds of A, B, C and D in turn, after ${warmup} warm-up orders each; ` +
      `${PLACE_IN_FLIGHT} placing and ${PAY_IN_FLIGHT} paying in flight; ${database}, file-backed dev server`,
  );
  console.log(JSON.stringify(summary));
} catch (error) {
  console.error('bench:saga failed:', error);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
