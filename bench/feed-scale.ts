/**
 * Live tracking at scale: many idle subscriptions, then a burst of changes, with a bare graphql-ws server as the
 * memory baseline in the same run.
 *   npm run bench:feed -- [subscriptions=2000] [burst=min(1000, subscriptions/2)] [burstInFlight=50]
 * One file-backed Temporal dev server (its metrics on) and a scratch database (MySQL at BENCH_MYSQL_URL, default
 * mysql://root@127.0.0.1:3306; BENCH_DATABASE=sqlite for a SQLite file), identity and the payload codec on. First the
 * bare server (bench/bare-graphql-ws.ts) holds `subscriptions` subscriptions; then each variant in turn: the worker
 * in the API's process (`server/dev.ts` against that Temporal server), and the worker apart (`worker/main.ts`) with
 * two API processes (`server/main.ts`), the subscriptions split between them and the payments sent through the first.
 * Per variant:
 * - places `subscriptions` orders by starting their workflows directly (50 in flight, a payment timeout of hours) and
 *   waits until the order table shows them all AWAITING_PAYMENT;
 * - opens one subscription per order from a subscriber process (bench/feed-subscribers.ts, 200 per connection) and
 *   waits for every first event;
 * - idle: 10 s of CPU of the API process(es) and of the dev server, and of the workflow queries/s Temporal served
 *   (its `service_requests` counter), and the events that arrived meanwhile: once with no subscription open, then
 *   with all of them open and settled;
 * - memory: RSS (and heap) of the API process(es) after a full garbage collection (through the inspector), before
 *   and after the subscriptions, per subscription, against the bare server holding as many through the same client
 *   (with the worker in the API the worker's threads move by tens of MiB on their own: read the apart variant);
 * - reconnect: every subscriber drops its connection and subscribes again with `sinceVersion` (the last version it
 *   saw), as clients do after a network blip; none of the orders moved, so Temporal should serve no workflow query
 *   and the subscribers get no event; their records run on into the burst, which checks the resumed streams too;
 * - burst: pays `burst` of the watched orders through the API (`burstInFlight` at once, tok_visa) and waits until
 *   every one of their subscribers has seen COMPLETED; each change's latency runs from its timeline entry's `at` (the
 *   workflow's time of the change) to its arrival at the subscriber.
 * Every subscriber must get every version once and in order: a missed or repeated event, a subscription error or a
 * burst order not COMPLETED fails the run (exit 1). Timings are shown against the goals, never asserted.
 * BENCH_FEED_IDLE_SECONDS shortens the idle measurement (the CI smoke test runs at a tiny size with it).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { Client, Connection, WorkflowIdReusePolicy } from '@temporalio/client';
import { SignJWT } from 'jose';
import { ORDER_WORKFLOW, type OrderWorkflow } from '../common/actions';
import { readConfig } from '../common/config';
import { newOrderId } from '../common/ids';
import { SUBSCRIPTION_LIMITS } from '../common/limits';
import type { OrderStatus } from '../common/order';
import { encryptingDataConverter, generatePayloadKey, parsePayloadKeys } from '../common/payload-codec';
import { upsertProduct } from '../database/catalog';
import { OrderSummarySchema } from '../database/entities';
import { orderChangeLog } from '../database/order-changes';
import { openOrm } from '../database/orm';
import { createScratchDatabase } from '../database/scratch-database';
import {
  cpuSeconds,
  graphql,
  percentile,
  rssMiB,
  spawnNode,
  stopChild,
  waitForOutput,
} from './embedded-stack';
import type {
  OrderRecord,
  SubscriberCommand,
  SubscriberReply,
  SubscriberReport,
  SubscriberTarget,
} from './feed-subscribers';
import { inParallel } from './in-parallel';
import { collectGarbage, INSPECTOR_ENV, inspectorUrlOf } from './inspector-heap';
import { type MeteredTemporal, startMeteredTemporal } from './metered-temporal';

const subscriptions = Number(process.argv[2] ?? 2_000);
const burst = Number(process.argv[3] ?? Math.min(1_000, Math.floor(subscriptions / 2)));
const burstInFlight = Number(process.argv[4] ?? 50);
if (![subscriptions, burst, burstInFlight].every((value) => Number.isInteger(value) && value > 0)) {
  throw new Error(
    'usage: npm run bench:feed -- [subscriptions=2000] [burst=min(1000, subscriptions/2)] [burstInFlight=50]',
  );
}
if (burst > subscriptions)
  throw new Error(`a burst of ${burst} needs as many watched orders, not ${subscriptions}`);
const IDLE_SECONDS = Number(process.env.BENCH_FEED_IDLE_SECONDS ?? 10);
const SETTLE_MS = Math.min(5_000, IDLE_SECONDS * 500);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const SQLITE = process.env.BENCH_DATABASE === 'sqlite';
/** Orders placed at once while setting up. */
const IN_FLIGHT = 50;
/** Subscriptions waiting for their first event at once: each first event is a workflow query. */
const OPENING_IN_FLIGHT = 200;
/**
 * Subscriptions opened and closed on a server before its memory is first read, so what a first subscription
 * costs once (code loaded and compiled, caches, a connection to Temporal) is not counted per subscription.
 */
const WARM_UP = 20;
const SKU = 'BENCH-FEED';
const ADDRESS = { name: 'Ada', line1: '1 St', city: 'London', postalCode: 'N1', country: 'GB' };
/** Hours to pay, a return window of days, no audit: an order waits in one status for the whole run. */
const ORDER_SETTINGS = readConfig({
  PAYMENT_TIMEOUT: '12h',
  RETURN_WINDOW: '30d',
  AUDIT_THRESHOLD_CENTS: '2000000000',
}).order;
const PLACING: OrderStatus[] = ['VALIDATING', 'RESERVING', 'AWAITING_PAYMENT'];
const PAY = `mutation($input: PayOrderInput!) {
  payOrder(input: $input) { order { id status } userErrors { code message } } }`;

interface Variant {
  key: 'inProcess' | 'apart';
  title: string;
  /** The API's entry point, and what it prints once it serves. */
  api: { entry: string; ready: RegExp };
  apis: number;
  workerApart: boolean;
  p99GoalMs: number;
}

const VARIANTS: Variant[] = [
  {
    key: 'inProcess',
    title: 'worker in the API',
    api: { entry: 'server/dev.ts', ready: /Ctrl-C stops everything/ },
    apis: 1,
    workerApart: false,
    p99GoalMs: 100,
  },
  {
    key: 'apart',
    title: 'worker apart, 2 APIs',
    api: { entry: 'server/main.ts', ready: /Orderflow API on/ },
    apis: 2,
    workerApart: true,
    p99GoalMs: 250,
  },
];

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---- processes ----------------------------------------------------------------------------------------------

/** Every child process of the run still running, for a signal to stop them all. */
const running = new Set<ChildProcess>();

/** Keeps the child in its phase's list (stopped at the phase's end) and in `running`. */
function track(child: ChildProcess, started: ChildProcess[]): ChildProcess {
  started.push(child);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

interface Measured {
  child: ChildProcess;
  pid: number;
  /** The inspector's URL, to collect garbage before memory is read. */
  inspector: string;
  output: string;
}

/** A node child on a TypeScript entry point, with its inspector on, resolved once it prints `ready`. */
async function startMeasured(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  started: ChildProcess[],
): Promise<Measured> {
  const child = track(spawnNode(entry, [], { ...env, ...INSPECTOR_ENV }), started);
  const output = await waitForOutput(child, ready);
  return { child, pid: child.pid ?? 0, inspector: inspectorUrlOf(output), output };
}

/**
 * RSS and heap (KiB) of the processes once garbage collection no longer frees anything much: one collection leaves
 * what only the next ones free (code of functions no longer run is dropped after a few).
 */
async function memoryOf(processes: readonly Measured[]): Promise<{ rssKiB: number; heapKiB: number }> {
  let rssKiB = 0;
  let heapKiB = 0;
  for (const measured of processes) {
    let heap = await collectGarbage(measured.inspector);
    for (let round = 0; round < 5; round += 1) {
      await sleep(200);
      const next = await collectGarbage(measured.inspector);
      const settled = next > heap * 0.99;
      heap = next;
      if (settled) break;
    }
    heapKiB += heap / 1024;
    rssKiB += rssMiB(measured.pid) * 1024;
  }
  return { rssKiB, heapKiB };
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The subscriber process (bench/feed-subscribers.ts), asked one thing at a time over IPC. */
class Subscribers {
  private lastId = 0;
  private readonly waiting = new Map<number, (reply: SubscriberReply) => void>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: SubscriberReply) => this.waiting.get(reply.id)?.(reply));
    child.once('exit', (code) => {
      for (const answer of this.waiting.values()) {
        answer({ kind: 'failed', id: 0, message: `the subscriber process exited (${code})` });
      }
    });
  }

  static start(): Subscribers {
    const child = fork(resolve(import.meta.dirname, 'feed-subscribers.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    process.once('exit', () => child.kill('SIGKILL'));
    return new Subscribers(child);
  }

  open(targets: SubscriberTarget[], authorization?: string): Promise<number> {
    const perConnection = SUBSCRIPTION_LIMITS.perConnection;
    const command = {
      kind: 'open',
      targets,
      authorization,
      perConnection,
      inFlight: OPENING_IN_FLIGHT,
    } as const;
    return this.subscribing(command, 'opened');
  }

  reconnect(targets: SubscriberTarget[], authorization?: string): Promise<number> {
    const perConnection = SUBSCRIPTION_LIMITS.perConnection;
    return this.subscribing({ kind: 'reconnect', targets, authorization, perConnection }, 'reconnected');
  }

  waitFor(orderIds: string[], status: OrderStatus, timeoutMs: number) {
    return this.ask({ kind: 'wait', orderIds, status, timeoutMs }, 'waited', timeoutMs + 10_000);
  }

  async report(withOrders = false): Promise<SubscriberReport> {
    return (await this.ask({ kind: 'report', withOrders }, 'report', 60_000)).report;
  }

  async close(): Promise<void> {
    await this.ask({ kind: 'close' }, 'closed', 60_000);
  }

  /** Opens a few subscriptions and closes them again (see WARM_UP). */
  async warmUp(targets: SubscriberTarget[], authorization?: string): Promise<void> {
    const warm = targets.map((target) => ({ ...target, orderIds: target.orderIds.slice(0, WARM_UP) }));
    await this.open(warm, authorization);
    const report = await this.report();
    await this.close();
    if (report.errors > 0) throw new Error(`warming up failed: ${report.firstError}`);
  }

  /** Opens or reopens every subscription; seconds it took, allowing for a slow machine. */
  private async subscribing(
    command: WithoutId<Extract<SubscriberCommand, { kind: 'open' | 'reconnect' }>>,
    expected: 'opened' | 'reconnected',
  ): Promise<number> {
    return (await this.ask(command, expected, 120_000 + subscriptions * 50)).seconds;
  }

  private ask<K extends SubscriberReply['kind']>(
    command: WithoutId<SubscriberCommand>,
    expected: K,
    timeoutMs: number,
  ): Promise<Extract<SubscriberReply, { kind: K }>> {
    const id = ++this.lastId;
    return new Promise((resolveReply, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the subscribers did not answer ${command.kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (reply.kind === expected) resolveReply(reply as Extract<SubscriberReply, { kind: K }>);
        else
          reject(
            new Error(
              `subscribers, ${command.kind}: ${reply.kind === 'failed' ? reply.message : reply.kind}`,
            ),
          );
      });
      this.child.send({ ...command, id } as SubscriberCommand);
    });
  }
}

// ---- the shared run: Temporal, database, client, identity -----------------------------------------------------

interface Run {
  folder: string;
  temporal: MeteredTemporal;
  orm: MikroORM;
  /** What every API and worker process needs to join the run. */
  env: Record<string, string>;
  client: Client;
  sign(role: 'customer' | 'staff', subject: string): Promise<string>;
  stop(): Promise<void>;
}

async function openDatabase(
  folder: string,
): Promise<{ orm: MikroORM; env: Record<string, string>; dispose(): Promise<void> }> {
  if (SQLITE) {
    const sqlitePath = join(folder, 'orderflow.sqlite');
    const orm = await openOrm({ sqlitePath });
    return { orm, env: { DATABASE_URL: '', SQLITE_PATH: sqlitePath }, dispose: () => orm.close(true) };
  }
  const scratch = await createScratchDatabase(MYSQL_URL);
  return { orm: scratch.orm, env: { DATABASE_URL: scratch.databaseUrl }, dispose: () => scratch.dispose() };
}

async function startRun(): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'orderflow-feed-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(folder, { recursive: true, force: true })];
  const stop = async () => {
    for (let next = stops.pop(); next; next = stops.pop())
      await next().catch((error) => console.error(error));
  };
  try {
    const temporal = await startMeteredTemporal(folder);
    stops.push(() => temporal.stop());
    const database = await openDatabase(folder);
    stops.push(() => database.dispose());
    await upsertProduct(database.orm, {
      sku: SKU,
      name: 'Bench mug',
      priceCents: 1_500,
      stock: 2 * subscriptions * VARIANTS.length,
      discontinued: false,
    });
    const payloadKey = generatePayloadKey('bench-feed');
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({
      connection,
      dataConverter: encryptingDataConverter(parsePayloadKeys(payloadKey, undefined)),
    });
    const secret = randomBytes(32).toString('base64url');
    const key = new TextEncoder().encode(secret);
    return {
      folder,
      temporal,
      orm: database.orm,
      client,
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        ...database.env,
        PAYLOAD_KEY: payloadKey,
        PAYLOAD_OLD_KEYS: '',
        AUTH_JWT_SECRET: secret,
        AUTH_JWKS_URL: '',
        AUTH_DISABLED: 'false',
        MAX_WATCHED_ORDERS: String(Math.max(SUBSCRIPTION_LIMITS.watchedOrders, subscriptions)),
        MAX_SUBSCRIPTIONS_PER_CONNECTION: String(SUBSCRIPTION_LIMITS.perConnection),
        WORKER_ROLES: '',
        PORT: '0',
        // server/dev.ts keeps a dev payload key beside its (unused here) dev server file: keep it in the scratch folder.
        TEMPORAL_DEV_DB: join(folder, 'dev', 'temporal.sqlite'),
      },
      sign: (role, subject) =>
        new SignJWT({ role })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(subject)
          .setExpirationTime('12h')
          .sign(key),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---- the phases ---------------------------------------------------------------------------------------------

/** Starts the workflows directly (not through the API) and waits until the order table shows them awaiting payment. */
async function placeOrders(
  run: Run,
  taskQueue: string,
  customerId: string,
): Promise<{ ids: string[]; perSecond: number }> {
  const ids = Array.from({ length: subscriptions }, () => newOrderId());
  const started = performance.now();
  await inParallel(ids, IN_FLIGHT, async (orderId) => {
    await run.client.workflow.start<OrderWorkflow>(ORDER_WORKFLOW, {
      workflowId: orderId,
      taskQueue,
      args: [
        {
          orderId,
          customerId,
          items: [{ sku: SKU, quantity: 1 }],
          address: ADDRESS,
          settings: ORDER_SETTINGS,
        },
      ],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  });
  let best = 0;
  let progressAt = Date.now();
  for (;;) {
    const em = run.orm.em.fork();
    const waiting = await em.count(OrderSummarySchema, { customerId, status: 'AWAITING_PAYMENT' });
    if (waiting >= ids.length) break;
    const astray = await em.count(OrderSummarySchema, { customerId, status: { $nin: PLACING } });
    if (astray > 0)
      throw new Error(`${astray} orders of ${customerId} went another way than AWAITING_PAYMENT`);
    if (waiting > best) {
      if (Math.floor(waiting / 1_000) > Math.floor(best / 1_000))
        console.log(`  ${waiting} awaiting payment`);
      best = waiting;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > 60_000) {
      throw new Error(`placing stalled: ${waiting} of ${ids.length} orders awaiting payment after a minute`);
    }
    await sleep(250);
  }
  return { ids, perSecond: ids.length / ((performance.now() - started) / 1000) };
}

/** The subscriptions split in blocks over the servers, so a spread-out burst lands on all of them. */
function targetsOf(urls: string[], ids: string[]): SubscriberTarget[] {
  return urls.map((url, index) => ({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    orderIds: ids.slice(
      Math.floor((index * ids.length) / urls.length),
      Math.floor(((index + 1) * ids.length) / urls.length),
    ),
  }));
}

/** `count` ids spread evenly over the list. */
function spread(ids: string[], count: number): string[] {
  return Array.from({ length: count }, (_, index) => ids[Math.floor((index * ids.length) / count)] as string);
}

interface Idle {
  seconds: number;
  /** The same with no subscription open, measured as long just before the subscriptions (at rest). */
  unwatched?: { apiCpuPercent: number[]; temporalCpuPercent: number };
  /** Share of one core, per API process. */
  apiCpuPercent: number[];
  temporalCpuPercent: number;
  queriesPerSecond: number;
  events: number;
}

async function measureIdle(run: Run, apis: Measured[], subscribers: Subscribers): Promise<Idle> {
  const before = {
    at: performance.now(),
    api: apis.map((api) => cpuSeconds(api.pid)),
    temporal: cpuSeconds(run.temporal.pid),
    queries: await run.temporal.requests('QueryWorkflow'),
    events: (await subscribers.report()).events,
  };
  await sleep(IDLE_SECONDS * 1_000);
  const queries = await run.temporal.requests('QueryWorkflow');
  const events = (await subscribers.report()).events;
  const seconds = (performance.now() - before.at) / 1000;
  return {
    seconds: round(seconds),
    apiCpuPercent: apis.map((api, index) =>
      round(((cpuSeconds(api.pid) - (before.api[index] ?? 0)) / seconds) * 100, 2),
    ),
    temporalCpuPercent: round(((cpuSeconds(run.temporal.pid) - before.temporal) / seconds) * 100, 2),
    queriesPerSecond: round((queries - before.queries) / seconds, 2),
    events: events - before.events,
  };
}

interface Reconnect {
  /** From dropping every connection to every one acknowledged again, with its subscriptions sent. */
  seconds: number;
  /** Workflow queries Temporal served from the reconnect until SETTLE_MS after it. */
  queries: number;
  events: number;
}

/** Every subscriber drops its connection and resumes by version; none of their orders moved meanwhile. */
async function measureReconnect(
  run: Run,
  subscribers: Subscribers,
  targets: SubscriberTarget[],
  authorization: string,
): Promise<Reconnect> {
  const queries = await run.temporal.requests('QueryWorkflow');
  const events = (await subscribers.report()).events;
  const seconds = await subscribers.reconnect(targets, authorization);
  await sleep(SETTLE_MS);
  return {
    seconds: round(seconds),
    queries: (await run.temporal.requests('QueryWorkflow')) - queries,
    events: (await subscribers.report()).events - events,
  };
}

interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function latencyOf(values: number[]): Latency {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length > 0 ? Math.max(...values) : Number.NaN,
  };
}

interface Burst {
  orders: number;
  /** From the first payment sent to the last subscriber's COMPLETED. */
  seconds: number;
  changes: number;
  latencyMs: Latency;
  /** Per API process, in the apart variant: the first took the payments. */
  latencyByApiMs: Latency[];
  paymentErrors: number;
  /** Payments answered ACTION_PENDING (the API's deadline passed) and asked again with their request id. */
  paymentsAskedAgain: number;
  firstPaymentError?: string;
  queriesPerChange: number;
}

/**
 * Pays one order as a client should: an ACTION_PENDING answer (the order did not answer within the API's deadline)
 * is asked again with the same request id until it has an outcome; answers how many times it had to ask again.
 */
async function payOrder(api: string, token: string, orderId: string): Promise<number> {
  const input = { orderId, paymentMethod: 'tok_visa', requestId: randomUUID() };
  for (let again = 0; ; again += 1) {
    const answer = await graphql<{ payOrder: { userErrors: { code: string }[] } }>(api, token, PAY, {
      input,
    });
    const { userErrors } = answer.payOrder;
    if (userErrors.length === 0) return again;
    if (again >= 5 || userErrors.some((error) => error.code !== 'ACTION_PENDING')) {
      throw new Error(JSON.stringify(userErrors));
    }
  }
}

async function payBurst(
  run: Run,
  api: string,
  customerId: string,
  orderIds: string[],
  subscribers: Subscribers,
) {
  const token = await run.sign('customer', customerId);
  const queriesBefore = await run.temporal.requests('QueryWorkflow');
  const started = performance.now();
  let paymentErrors = 0;
  let paymentsAskedAgain = 0;
  let firstPaymentError: string | undefined;
  await inParallel(orderIds, burstInFlight, async (orderId) => {
    try {
      paymentsAskedAgain += await payOrder(api, token, orderId);
    } catch (error) {
      paymentErrors += 1;
      firstPaymentError ??= `order ${orderId}: ${(error as Error).message}`;
    }
  });
  const waited = await subscribers.waitFor(orderIds, 'COMPLETED', 120_000 + orderIds.length * 100);
  const seconds = (performance.now() - started) / 1000;
  const queries = (await run.temporal.requests('QueryWorkflow')) - queriesBefore;
  return { seconds, queries, paymentErrors, paymentsAskedAgain, firstPaymentError, pending: waited.pending };
}

export interface Deliveries {
  /** Versions the table holds that a subscriber never got (gaps, and a tail never delivered). */
  missed: number;
  repeated: number;
  /** Orders whose subscription never got an event. */
  silent: number;
  notCompleted: number;
  errors: number;
  firstError?: string;
  ended: number;
}

/** Every version the order table holds after each subscriber's first event must have reached it, once, in order. */
async function checkDeliveries(
  run: Run,
  ids: string[],
  burstIds: string[],
  report: SubscriberReport,
): Promise<Deliveries> {
  const versions = new Map<string, number>();
  const log = orderChangeLog(run.orm);
  for (let start = 0; start < ids.length; start += 1_000) {
    for (const [orderId, version] of await log.versionsOf(ids.slice(start, start + 1_000))) {
      versions.set(orderId, version);
    }
  }
  const orders = report.orders ?? {};
  const result: Deliveries = {
    missed: 0,
    repeated: 0,
    silent: 0,
    notCompleted: 0,
    errors: report.errors,
    firstError: report.firstError,
    ended: report.ended,
  };
  for (const orderId of ids) {
    const order: OrderRecord | undefined = orders[orderId];
    if (!order) {
      result.silent += 1;
      continue;
    }
    result.repeated += order.repeated;
    result.missed += order.gaps + Math.max(0, (versions.get(orderId) ?? 0) - order.last);
  }
  for (const orderId of burstIds) if (orders[orderId]?.status !== 'COMPLETED') result.notCompleted += 1;
  return result;
}

interface VariantResult {
  variant: Variant['key'];
  title: string;
  placedPerSecond: number;
  openSeconds: number;
  idle: Idle;
  memory: { rssKiBPerSubscription: number; heapKiBPerSubscription: number };
  reconnect: Reconnect;
  burst: Burst;
  deliveries: Deliveries;
  /** Error lines the dev server logged during the variant (persistence timeouts when it is short of CPU). */
  temporalErrors: number;
}

async function measureVariant(run: Run, variant: Variant, subscribers: Subscribers): Promise<VariantResult> {
  const taskQueue = `feed-${variant.key}`;
  const customerId = `bench-feed-${variant.key}`;
  const env = { ...run.env, TASK_QUEUE: taskQueue };
  const started: ChildProcess[] = [];
  const temporalErrorsBefore = run.temporal.errors().count;
  try {
    const [apis] = await Promise.all([
      Promise.all(
        Array.from({ length: variant.apis }, () =>
          startMeasured(variant.api.entry, env, variant.api.ready, started),
        ),
      ),
      variant.workerApart
        ? (async () => {
            const worker = track(spawnNode('worker/main.ts', [], env), started);
            await waitForOutput(worker, /worker polling/);
          })()
        : undefined,
    ]);
    const urls = apis.map((api) => {
      const url = api.output.match(/http:\/\/localhost:(\d+)\/graphql/)?.[1];
      if (!url) throw new Error(`no API URL in:\n${api.output}`);
      return `http://127.0.0.1:${url}`;
    });
    console.log(`${variant.title}: placing ${subscriptions} orders`);
    const { ids, perSecond } = await placeOrders(run, taskQueue, customerId);
    const staff = `Bearer ${await run.sign('staff', 'bench-staff')}`;
    const targets = targetsOf(urls, ids);
    await subscribers.warmUp(targets, staff);
    await sleep(SETTLE_MS);
    const unwatched = await measureIdle(run, apis, subscribers);
    const before = await memoryOf(apis);

    console.log(`${variant.title}: opening ${subscriptions} subscriptions`);
    const openSeconds = await subscribers.open(targets, staff);
    await sleep(SETTLE_MS);
    console.log(`${variant.title}: idle for ${IDLE_SECONDS} s`);
    const idle = await measureIdle(run, apis, subscribers);
    const after = await memoryOf(apis);
    console.log(`${variant.title}: reconnecting ${subscriptions} subscriptions by version`);
    const reconnect = await measureReconnect(run, subscribers, targets, staff);

    const burstIds = spread(ids, burst);
    console.log(`${variant.title}: paying ${burst} orders, ${burstInFlight} at once`);
    const eventsBefore = (await subscribers.report()).events;
    const paid = await payBurst(run, urls[0] as string, customerId, burstIds, subscribers);
    const report = await subscribers.report(true);
    const deliveries = await checkDeliveries(run, ids, burstIds, report);
    const latencies = report.latencies ?? [];
    const changes = report.events - eventsBefore;
    await subscribers.close();
    if (paid.pending.length > 0)
      console.error(`${variant.title}: not COMPLETED, e.g. ${paid.pending.join(', ')}`);
    return {
      variant: variant.key,
      title: variant.title,
      placedPerSecond: round(perSecond),
      openSeconds: round(openSeconds),
      idle: {
        ...idle,
        unwatched: {
          apiCpuPercent: unwatched.apiCpuPercent,
          temporalCpuPercent: unwatched.temporalCpuPercent,
        },
      },
      memory: {
        rssKiBPerSubscription: round((after.rssKiB - before.rssKiB) / subscriptions, 2),
        heapKiBPerSubscription: round((after.heapKiB - before.heapKiB) / subscriptions, 2),
      },
      reconnect,
      burst: {
        orders: burstIds.length,
        seconds: round(paid.seconds),
        changes,
        latencyMs: latencyOf(latencies.flat()),
        latencyByApiMs: apis.map((_, index) => latencyOf(latencies[index] ?? [])),
        paymentErrors: paid.paymentErrors,
        paymentsAskedAgain: paid.paymentsAskedAgain,
        firstPaymentError: paid.firstPaymentError,
        queriesPerChange: round(paid.queries / Math.max(1, changes), 2),
      },
      deliveries,
      temporalErrors: run.temporal.errors().count - temporalErrorsBefore,
    };
  } finally {
    for (const child of started.reverse()) await stopChild(child);
  }
}

/** The bare graphql-ws server holding as many subscriptions through the same client. */
async function measureBare(subscribers: Subscribers) {
  const started: ChildProcess[] = [];
  try {
    const bare = await startMeasured('bench/bare-graphql-ws.ts', {}, /bare graphql-ws up on/, started);
    const url = bare.output.match(/bare graphql-ws up on (\S+)/)?.[1] ?? '';
    const orderIds = Array.from({ length: subscriptions }, (_, index) => `bare-${index}`);
    await subscribers.warmUp([{ url, orderIds }]);
    const before = await memoryOf([bare]);
    const openSeconds = await subscribers.open([{ url, orderIds }]);
    await sleep(SETTLE_MS);
    const after = await memoryOf([bare]);
    const report = await subscribers.report();
    await subscribers.close();
    if (report.errors > 0 || report.subscriptions !== subscriptions) {
      throw new Error(
        `the bare server's subscriptions failed: ${report.firstError ?? JSON.stringify(report)}`,
      );
    }
    return {
      openSeconds: round(openSeconds),
      rssKiBPerSubscription: round((after.rssKiB - before.rssKiB) / subscriptions, 2),
      heapKiBPerSubscription: round((after.heapKiB - before.heapKiB) / subscriptions, 2),
    };
  } finally {
    for (const child of started) await stopChild(child);
  }
}

// ---- the report ---------------------------------------------------------------------------------------------

type Bare = Awaited<ReturnType<typeof measureBare>>;

function failuresOf(result: VariantResult): string[] {
  const { deliveries: d, burst: b } = result;
  const problems = [
    [d.missed, 'events missed'],
    [d.repeated, 'events repeated or out of order'],
    [d.silent, 'subscriptions without an event'],
    [d.notCompleted, 'burst orders not COMPLETED at their subscriber'],
    [d.errors, `subscription errors (first: ${d.firstError})`],
    [d.ended, 'subscriptions ended by the server'],
    [b.paymentErrors, `payments refused (first: ${b.firstPaymentError})`],
  ] as const;
  return problems.filter(([count]) => count > 0).map(([count, what]) => `${result.title}: ${count} ${what}`);
}

function printTable(bare: Bare, results: VariantResult[]): void {
  const joined = (values: number[]) => values.join(' + ');
  const rows: string[][] = [
    ['', ...results.map((result) => result.title), 'goal'],
    ['orders placed /s (workflows started directly)', ...results.map((r) => String(r.placedPerSecond)), ''],
    ['subscriptions opened in s', ...results.map((r) => String(r.openSeconds)), `bare: ${bare.openSeconds}`],
    ['idle: API process CPU, % of a core', ...results.map((r) => joined(r.idle.apiCpuPercent)), '< 5 each'],
    [
      '  the same with no subscription open',
      ...results.map((r) => joined(r.idle.unwatched?.apiCpuPercent ?? [])),
      '',
    ],
    [
      'idle: Temporal dev server CPU, % of a core',
      ...results.map((r) => String(r.idle.temporalCpuPercent)),
      '',
    ],
    [
      '  the same with no subscription open',
      ...results.map((r) => String(r.idle.unwatched?.temporalCpuPercent)),
      '',
    ],
    ['idle: Temporal workflow queries /s', ...results.map((r) => String(r.idle.queriesPerSecond)), '~0'],
    ['idle: events received', ...results.map((r) => String(r.idle.events)), '0'],
    ['memory: RSS KiB per subscription', ...results.map((r) => String(r.memory.rssKiBPerSubscription)), ''],
    [
      '  bare graphql-ws: RSS KiB per subscription',
      ...results.map(() => String(bare.rssKiBPerSubscription)),
      '',
    ],
    [
      '  above bare',
      ...results.map((r) => String(round(r.memory.rssKiBPerSubscription - bare.rssKiBPerSubscription, 2))),
      '<= 10',
    ],
    [
      'memory: heap KiB per subscription (bare)',
      ...results.map((r) => `${r.memory.heapKiBPerSubscription} (${bare.heapKiBPerSubscription})`),
      '',
    ],
    [
      'reconnect by version: s, workflow queries, events',
      ...results.map(({ reconnect: r }) => `${r.seconds}, ${r.queries}, ${r.events}`),
      'queries 0, events 0',
    ],
    [
      'burst: orders paid, s to the last COMPLETED',
      ...results.map((r) => `${r.burst.orders}, ${r.burst.seconds}`),
      '',
    ],
    ['burst: changes delivered', ...results.map((r) => String(r.burst.changes)), ''],
    [
      'burst: latency p50/p90/p99/max ms',
      ...results.map(({ burst: { latencyMs: l } }) => `${l.p50}/${l.p90}/${l.p99}/${l.max}`),
      results.map((r) => `p99 <= ${VARIANTS.find((v) => v.key === r.variant)?.p99GoalMs}`).join(' | '),
    ],
    [
      '  p99 per API (first took the payments)',
      ...results.map((r) => r.burst.latencyByApiMs.map((l) => l.p99).join(' | ')),
      '',
    ],
    ['burst: Temporal queries per change', ...results.map((r) => String(r.burst.queriesPerChange)), ''],
    [
      'burst: payments asked again (ACTION_PENDING)',
      ...results.map((r) => String(r.burst.paymentsAskedAgain)),
      '',
    ],
    ['Temporal dev server: error lines logged', ...results.map((r) => String(r.temporalErrors)), '0'],
    [
      'missed / repeated / not COMPLETED',
      ...results.map(({ deliveries: d }) => `${d.missed} / ${d.repeated} / ${d.notCompleted}`),
      '0 / 0 / 0',
    ],
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows)
    console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | '));
  console.log(
    'memory: with the worker in the API, its workflow threads grow and shrink by tens of MiB on their own; ' +
      'the apart column is the one to read',
  );
}

// ---- the run ------------------------------------------------------------------------------------------------

let run: Run | undefined;
let subscribers: Subscribers | undefined;
let stopping: Promise<void> | undefined;
/** Stops everything the run started: its children, the dev server, the scratch database and folder. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    subscribers?.child.kill();
    for (const child of running) await stopChild(child);
    await run?.stop();
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping everything`);
    void stopAll().finally(() => process.exit(130));
  });
}

let failed = true;
try {
  run = await startRun();
  subscribers = Subscribers.start();
  console.log(`feed at ${subscriptions} subscriptions, burst ${burst}, ${SQLITE ? 'SQLite' : 'MySQL'}`);
  const bare = await measureBare(subscribers);
  const results: VariantResult[] = [];
  for (const variant of VARIANTS) results.push(await measureVariant(run, variant, subscribers));
  console.log(
    `\nlive feed: ${subscriptions} subscriptions on as many orders, a burst of ${burst} paid ${burstInFlight} at once; ` +
      `${SQLITE ? 'SQLite' : 'MySQL'}, identity and payload codec on, idle measured over ${IDLE_SECONDS} s`,
  );
  printTable(bare, results);
  const temporalErrors = run.temporal.errors();
  if (temporalErrors.first) console.log(`the dev server's first error line: ${temporalErrors.first}`);
  const failures = results.flatMap(failuresOf);
  for (const failure of failures) console.error(`FAILED: ${failure}`);
  failed = failures.length > 0;
  console.log(
    JSON.stringify({
      subscriptions,
      burst,
      burstInFlight,
      database: SQLITE ? 'sqlite' : 'mysql',
      idleSeconds: IDLE_SECONDS,
      bare,
      variants: results,
      ok: !failed,
    }),
  );
} catch (error) {
  if (!stopping) console.error(error);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
