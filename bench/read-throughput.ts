/**
 * Reads against a bare graphql-yoga server, same client, same run (the P4 baseline, ../shared/baselines/p4):
 *   npm run bench:reads -- [seconds=5] [rounds=5] [concurrency=32] [sagaOrders=60]
 * Starts `npm run dev` as a child (bench/embedded-stack.ts: its own file-backed Temporal dev server, the SQLite file,
 * or a scratch MySQL database with BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306; the worker in the API's process;
 * identity and the payload codec on), the bare server `{ hello }` and one load client (bench/load-client.ts), each
 * in a process of its own. It places 60 orders (40 paid to COMPLETED) and checks what they read back.
 * Reads: each round loads the bare server, then one read, then the bare server again..., `concurrency` clients for
 * `seconds` each, with a staff token (order(id) also with each order's customer's); a read's ratio is its
 * requests/s over the median of the bare server's in the same round. Every answer must be exactly the one read
 * before the load. Sagas: places and pays `sagaOrders` orders to COMPLETED (10 in flight) with no readers and with
 * `concurrency` clients reading order(id), alternated, each round.
 * Prints a table and, last, one JSON line; exits 1 on any error answer or failed check.
 */
import type { ChildProcess } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import { createScratchDatabase } from '../database/scratch-database';
import {
  type Api,
  apiOf,
  customerOf,
  DETAIL,
  detailProblems,
  inFlight,
  type OrderDetail,
  type PlacedOrder,
  PRODUCTS,
  placeOrder,
  seedCatalogue,
} from './bench-orders';
import {
  freePort,
  median,
  percentile,
  spawnNode,
  startEmbeddedStack,
  stopChild,
  waitForOutput,
} from './embedded-stack';
import { type LoadClient, type LoadRequest, type LoadResult, startLoadClient } from './load-client';

function positive(raw: string | undefined, name: string, fallback: number, whole: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value > 0) || (whole && !Number.isInteger(value))) {
    throw new Error(`${name} must be a ${whole ? 'whole ' : ''}number above 0, got "${raw}"`);
  }
  return value;
}

const [secondsArg, roundsArg, concurrencyArg, sagaOrdersArg] = process.argv.slice(2);
/** Orders placed at once, by the setup and by the sagas. */
const IN_FLIGHT = 10;
const sagaOrders = positive(sagaOrdersArg, 'sagaOrders', 60, true);
const SETTINGS = {
  seconds: positive(secondsArg, 'seconds', 5, false),
  rounds: positive(roundsArg, 'rounds', 5, true),
  concurrency: positive(concurrencyArg, 'concurrency', 32, true),
  sagaOrders,
  sagaInFlight: Math.min(IN_FLIGHT, sagaOrders),
  database: process.env.BENCH_MYSQL_URL ? 'MySQL (scratch database)' : 'SQLite file',
};
/** Enough for `orders(first: 50)` to return 50, two in three with payment, shipments and a whole timeline. */
const SETUP_ORDERS = 60;

const ORDER = `query Order($id: ID!) { order(id: $id) { ${DETAIL} } }`;
const FRESH_ORDER = `query FreshOrder($id: ID!) { order(id: $id, fresh: true) { ${DETAIL} } }`;
const ORDERS_PAGE = `{ orders(first: 50) { edges { node { ${DETAIL} } } } }`;
const PRODUCTS_QUERY = '{ products { sku name priceCents available reserved } }';

// ---- processes: everything started is stopped, on success, on error and on Ctrl-C -------------------------------

const cleanups: (() => Promise<void>)[] = [];

let stopping: Promise<void> | undefined;

/** Stops every part in reverse; a signal and the run's own end wait for the same stop. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      await cleanup().catch((error: unknown) => console.error(error));
    }
  })();
  return stopping;
}

/** Starts one part and registers how to stop it. */
async function launch<T>(start: () => Promise<T>, stop: (part: T) => Promise<void>): Promise<T> {
  const part = await start();
  cleanups.push(() => stop(part));
  return part;
}

/** Set by Ctrl-C or SIGTERM: what fails then is the stop itself, not worth a stack trace. */
let interrupted = false;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`${signal}: stopping everything this bench started`);
    void stopAll().then(() => process.exit(1));
  });
}

async function startBareYoga(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawnNode('bench/bare-yoga.ts', ['0']);
  const output = await waitForOutput(child, /bare yoga up on (\S+)/, 60_000);
  return { url: /bare yoga up on (\S+)/.exec(output)?.[1] ?? '', child };
}

interface Answer {
  status: number;
  text: string;
}

async function post(url: string, request: LoadRequest): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (request.authorization) headers.authorization = request.authorization;
  const response = await fetch(url, { method: 'POST', headers, body: request.body });
  return { status: response.status, text: await response.text() };
}

/** The answer's `data`, or an error naming what the request got instead. */
function dataOf<T>(what: string, answer: Answer): T {
  let body: { data?: T; errors?: unknown } = {};
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    // not JSON: reported below with the text
  }
  if (answer.status !== 200 || body.errors || !body.data) {
    throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  }
  return body.data;
}

/** The request with the answer it must get under load: the one it gets now, alone, checked first. */
async function withExpectedAnswer(
  url: string,
  request: LoadRequest,
  check: (answer: Answer) => void,
): Promise<LoadRequest> {
  const answer = await post(url, request);
  check(answer);
  return { ...request, expected: answer.text };
}

const orderRequest = (query: string, id: string, token: string): LoadRequest => ({
  body: JSON.stringify({ query, variables: { id } }),
  authorization: `Bearer ${token}`,
});

interface ReadRow {
  name: string;
  requests: LoadRequest[];
  target?: string;
}

type Checks = Record<string, boolean>;

const ORDER_AS_STAFF = 'order(id) as staff';

/**
 * The baseline and the reads to measure, each request with its expected answer, once the orders have been read back
 * as they were placed: as their customer, as staff, in a page and fresh from the workflow.
 */
async function prepareReads(
  api: Api,
  bareUrl: string,
  placed: PlacedOrder[],
  checks: Checks,
): Promise<{ bare: ReadRow; reads: ReadRow[] }> {
  const paid = placed.filter((order) => order.paid);
  const problems: string[] = [];
  const asPlaced = (order: PlacedOrder) => (answer: Answer) => {
    problems.push(
      ...detailProblems(dataOf<{ order: OrderDetail | null }>(`order ${order.id}`, answer).order, order),
    );
  };
  const asCustomer = async (order: PlacedOrder) =>
    withExpectedAnswer(
      api.graphqlUrl,
      orderRequest(ORDER, order.id, await api.tokenOf(order.customer)),
      asPlaced(order),
    );
  const customerReads = await Promise.all(paid.map(asCustomer));
  await Promise.all(placed.filter((order) => !order.paid).map(asCustomer));
  const staffReads = await Promise.all(
    paid.map((order) =>
      withExpectedAnswer(api.graphqlUrl, orderRequest(ORDER, order.id, api.staff), asPlaced(order)),
    ),
  );
  checks['every order reads back as placed, as its customer and as staff'] = problems.length === 0;
  checks['staff and the customer read the same order'] = staffReads.every(
    (request, index) => request.expected === customerReads[index]?.expected,
  );

  const staff = `Bearer ${api.staff}`;
  const alone = new Map(paid.map((order, index) => [order.id, staffReads[index]?.expected]));
  const page = await withExpectedAnswer(
    api.graphqlUrl,
    { body: JSON.stringify({ query: ORDERS_PAGE }), authorization: staff },
    (answer) => {
      const edges = dataOf<{ orders: { edges: { node: OrderDetail }[] } }>('orders(first: 50)', answer).orders
        .edges;
      checks['orders(first: 50) holds 50 of the orders placed'] =
        edges.length === 50 && edges.every(({ node }) => placed.some((order) => order.id === node.id));
      checks['a page shows each paid order as order(id) does'] = edges.every(({ node }) => {
        const single = alone.get(node.id);
        return single === undefined || single === JSON.stringify({ data: { order: node } });
      });
    },
  );
  const products = await withExpectedAnswer(
    api.graphqlUrl,
    { body: JSON.stringify({ query: PRODUCTS_QUERY }), authorization: staff },
    (answer) => {
      const list = dataOf<{ products: { sku: string }[] }>('products', answer).products;
      checks['products lists the catalogue'] = PRODUCTS.every((product) =>
        list.some((one) => one.sku === product.sku),
      );
    },
  );
  const hello = await withExpectedAnswer(
    bareUrl,
    { body: JSON.stringify({ query: '{ hello }' }) },
    (answer) => dataOf('bare { hello }', answer),
  );
  for (const problem of problems) console.error(problem);

  const reads: ReadRow[] = [
    { name: ORDER_AS_STAFF, requests: staffReads, target: '>= 0.3x (aim 0.6x)' },
    { name: 'order(id) as its customer', requests: customerReads, target: '>= 0.3x (aim 0.6x)' },
    { name: 'orders(first: 50) with detail', requests: [page], target: '>= 0.1x' },
    { name: 'products', requests: [products], target: '>= 0.5x' },
  ];
  const fresh = await freshRow(api, paid, staffReads, checks);
  return { bare: { name: 'bare { hello }', requests: [hello] }, reads: fresh ? [...reads, fresh] : reads };
}

/**
 * `order(id, fresh: true)` asks the workflow; a schema without the argument refuses it at validation, and then the
 * row is left out. The workflow's answer must be the read model's.
 */
async function freshRow(
  api: Api,
  paid: PlacedOrder[],
  fromTable: LoadRequest[],
  checks: Checks,
): Promise<ReadRow | undefined> {
  const first = paid[0];
  if (!first) return undefined;
  const probe = await post(api.graphqlUrl, orderRequest(FRESH_ORDER, first.id, api.staff));
  if (/Unknown argument "fresh"/.test(probe.text)) {
    console.log('order(id, fresh: true): the schema has no `fresh` argument, row left out');
    return undefined;
  }
  const requests = await Promise.all(
    paid.map((order) =>
      withExpectedAnswer(api.graphqlUrl, orderRequest(FRESH_ORDER, order.id, api.staff), (answer) =>
        dataOf(`order ${order.id}, fresh: true`, answer),
      ),
    ),
  );
  checks['fresh: true reads what the read model holds'] = requests.every(
    (request, index) => request.expected === fromTable[index]?.expected,
  );
  return { name: 'order(id, fresh: true)', requests };
}

// ---- measuring --------------------------------------------------------------------------------------------------

interface Series {
  rps: number[];
  ratio: number[];
  p50: number[];
  p99: number[];
  /** Answers checked, the warm-up's included. */
  requests: number;
  errors: number;
}

const newSeries = (): Series => ({ rps: [], ratio: [], p50: [], p99: [], requests: 0, errors: 0 });

function summary(values: number[]) {
  const rounded = (value: number) => Math.round(value * 1000) / 1000;
  return {
    median: rounded(median(values)),
    min: rounded(Math.min(...values)),
    max: rounded(Math.max(...values)),
  };
}

function countErrors(name: string, result: LoadResult, series: Series): void {
  series.requests += result.requests;
  series.errors += result.errors;
  if (result.errors > 0)
    console.error(`${name}: ${result.errors} error answers; the first: ${result.firstError}`);
}

async function measureReads(client: LoadClient, api: Api, bareUrl: string, bare: ReadRow, reads: ReadRow[]) {
  const series = new Map([bare, ...reads].map((row) => [row.name, newSeries()]));
  const run = async (row: ReadRow, seconds: number) => {
    const url = row === bare ? bareUrl : api.graphqlUrl;
    return client.run({ url, requests: row.requests, concurrency: SETTINGS.concurrency, seconds });
  };
  // Warm-up (the JIT, the parse cache, the pools): its answers are checked and counted, its timings dropped.
  for (const row of [bare, ...reads]) {
    countErrors(
      `${row.name} (warm-up)`,
      await run(row, Math.min(1, SETTINGS.seconds)),
      series.get(row.name) as Series,
    );
  }
  for (let round = 0; round < SETTINGS.rounds; round += 1) {
    const results: [ReadRow, LoadResult][] = [];
    const measure = async (row: ReadRow) => {
      const result = await run(row, SETTINGS.seconds);
      countErrors(row.name, result, series.get(row.name) as Series);
      results.push([row, result]);
    };
    // A/B: the bare server before each read and once after the last; each round starts with another read.
    for (let index = 0; index < reads.length; index += 1) {
      await measure(bare);
      await measure(reads[(index + round) % reads.length] as ReadRow);
    }
    await measure(bare);
    const baseline = median(results.filter(([row]) => row === bare).map(([, result]) => result.rps));
    for (const [row, result] of results) {
      const entry = series.get(row.name) as Series;
      entry.rps.push(result.rps);
      entry.p50.push(result.p50);
      entry.p99.push(result.p99);
      if (row !== bare) entry.ratio.push(result.rps / baseline);
    }
    console.log(
      `reads: round ${round + 1} of ${SETTINGS.rounds} done (bare ${Math.round(baseline)} requests/s)`,
    );
  }
  return series;
}

interface SagaPhase {
  perSecond: number;
  latencies: number[];
  readers?: LoadResult;
}

/** Places and pays `sagaOrders` orders to COMPLETED, `sagaInFlight` at a time, while `readers` (if any) read. */
async function sagaPhase(
  api: Api,
  label: string,
  readers?: { stop(): Promise<LoadResult> },
): Promise<SagaPhase> {
  const started = performance.now();
  let latencies: number[];
  try {
    latencies = await inFlight(SETTINGS.sagaOrders, SETTINGS.sagaInFlight, async (index) => {
      const sent = performance.now();
      await placeOrder(api, { id: `bench-${label}-${index}`, customer: customerOf(index), paid: true });
      return performance.now() - sent;
    });
  } catch (error) {
    await readers?.stop().catch(() => undefined);
    throw error;
  }
  const perSecond = SETTINGS.sagaOrders / ((performance.now() - started) / 1000);
  return { perSecond, latencies, readers: await readers?.stop() };
}

async function measureSagas(client: LoadClient, api: Api, readRow: ReadRow) {
  const alone: SagaPhase[] = [];
  const reading: SagaPhase[] = [];
  const readerSeries = newSeries();
  for (let round = 0; round < SETTINGS.rounds; round += 1) {
    // Alone first in odd rounds, with readers first in even ones, so drift favours neither.
    for (const withReaders of round % 2 === 0 ? [false, true] : [true, false]) {
      const readers = withReaders
        ? client.start({ url: api.graphqlUrl, requests: readRow.requests, concurrency: SETTINGS.concurrency })
        : undefined;
      const phase = await sagaPhase(api, `r${round + 1}-${withReaders ? 'reading' : 'alone'}`, readers);
      if (phase.readers) countErrors('readers during the sagas', phase.readers, readerSeries);
      (withReaders ? reading : alone).push(phase);
    }
    console.log(`sagas: round ${round + 1} of ${SETTINGS.rounds} done`);
  }
  return { alone, reading, readerSeries };
}

// ---- reporting --------------------------------------------------------------------------------------------------

function figure(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min-max)`, or the one value when there is one. */
function spread(values: number[], digits = 0): string {
  if (values.length === 0) return '-';
  const { median: middle, min, max } = summary(values);
  return values.length === 1
    ? figure(middle, digits)
    : `${figure(middle, digits)} (${figure(min, digits)}-${figure(max, digits)})`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function machine() {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpu: cores[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

// ---- the run ----------------------------------------------------------------------------------------------------

function readsTable(bare: ReadRow, reads: ReadRow[], series: Map<string, Series>): string {
  return table(
    ['read', 'requests/s', 'x bare', 'p50 ms', 'p99 ms', 'errors', 'the issue asks'],
    [bare, ...reads].map((row) => {
      const entry = series.get(row.name) as Series;
      return [
        row.name,
        spread(entry.rps),
        row === bare ? '1' : spread(entry.ratio, 2),
        spread(entry.p50, 1),
        spread(entry.p99, 1),
        String(entry.errors),
        row.target ?? '',
      ];
    }),
  );
}

type Sagas = Awaited<ReturnType<typeof measureSagas>>;

function sagaFigures(sagas: Sagas) {
  const perSecond = (phases: SagaPhase[]) => phases.map((phase) => phase.perSecond);
  const latencies = (phases: SagaPhase[]) => phases.flatMap((phase) => phase.latencies);
  return {
    alone: perSecond(sagas.alone),
    withReaders: perSecond(sagas.reading),
    ratio: sagas.reading.map(
      (phase, index) => phase.perSecond / (sagas.alone[index]?.perSecond ?? Number.NaN),
    ),
    latencyAlone: latencies(sagas.alone),
    latencyWithReaders: latencies(sagas.reading),
    readerRps: sagas.reading.map((phase) => phase.readers?.rps ?? 0),
  };
}

function sagasTable(figures: ReturnType<typeof sagaFigures>): string {
  const latency = (values: number[]) => [
    figure(percentile(values, 50), 0),
    figure(percentile(values, 99), 0),
  ];
  return table(
    ['sagas', 'orders/s', 'x alone', 'p50 ms, place to COMPLETED', 'p99 ms', 'readers requests/s'],
    [
      ['alone', spread(figures.alone, 1), '1', ...latency(figures.latencyAlone), '-'],
      [
        `${SETTINGS.concurrency} clients reading order(id)`,
        spread(figures.withReaders, 1),
        spread(figures.ratio, 2),
        ...latency(figures.latencyWithReaders),
        spread(figures.readerRps),
      ],
    ],
  );
}

let failed = false;
try {
  const about = machine();
  console.log(
    `bench:reads on ${about.cpus} x ${about.cpu}, ${about.memoryGiB} GiB, node ${about.node}; ` +
      `${SETTINGS.seconds} s x ${SETTINGS.rounds} rounds, ${SETTINGS.concurrency} clients, ${SETTINGS.database}`,
  );
  const mysqlServer = process.env.BENCH_MYSQL_URL;
  const database = mysqlServer
    ? await launch(
        () => createScratchDatabase(mysqlServer),
        (scratch) => scratch.dispose(),
      )
    : undefined;
  const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  const starting = [
    launch(
      () => startEmbeddedStack(ports, database ? { DATABASE_URL: database.databaseUrl } : {}),
      (started) => started.stop(),
    ),
    launch(startBareYoga, (started) => stopChild(started.child)),
    launch(startLoadClient, (started) => started.close()),
  ] as const;
  // Every part that starts is registered for the stop, even when another one fails.
  await Promise.allSettled(starting);
  const [stack, bareServer, client] = await Promise.all(starting);
  const api = await apiOf(stack);

  await seedCatalogue(api);
  // Paid and unpaid mixed, so the page holds both.
  const placed = Array.from({ length: SETUP_ORDERS }, (_, index) => ({
    id: `bench-setup-${index}`,
    customer: customerOf(index),
    paid: index % 3 !== 2,
  }));
  console.log(
    `setup: ${placed.length} orders, ${placed.filter((order) => order.paid).length} paid to COMPLETED`,
  );
  await inFlight(placed.length, IN_FLIGHT, (index) => placeOrder(api, placed[index] as PlacedOrder));
  const checks: Checks = {};
  const { bare, reads } = await prepareReads(api, bareServer.url, placed, checks);

  const series = await measureReads(client, api, bareServer.url, bare, reads);
  const sagas = await measureSagas(client, api, reads.find((row) => row.name === ORDER_AS_STAFF) as ReadRow);
  const figures = sagaFigures(sagas);
  const errors =
    [...series.values()].reduce((sum, entry) => sum + entry.errors, 0) + sagas.readerSeries.errors;
  failed = errors > 0 || Object.values(checks).some((ok) => !ok);

  console.log(
    `\nreads: ${SETTINGS.concurrency} clients, ${SETTINGS.seconds} s a run, ${SETTINGS.rounds} rounds, ` +
      "median (range) over the rounds; x bare: requests/s over the bare server's median in the same round",
  );
  console.log(readsTable(bare, reads, series));
  console.log(
    `\nsagas: ${SETTINGS.sagaOrders} orders placed and paid to COMPLETED a run, ${SETTINGS.sagaInFlight} in flight, ` +
      `alone and with readers alternated, ${SETTINGS.rounds} rounds`,
  );
  console.log(sagasTable(figures));
  console.log('\nchecks:');
  for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
  console.log(`${errors} error answers${failed ? ': FAILED' : ''}`);
  console.log(
    JSON.stringify({
      bench: 'reads',
      machine: about,
      settings: SETTINGS,
      reads: Object.fromEntries(
        [...series].map(([name, entry]) => [
          name,
          {
            rps: summary(entry.rps),
            ratio: entry.ratio.length > 0 ? summary(entry.ratio) : undefined,
            p50: summary(entry.p50),
            p99: summary(entry.p99),
            requests: entry.requests,
            errors: entry.errors,
          },
        ]),
      ),
      sagas: {
        ordersPerSecond: { alone: summary(figures.alone), withReaders: summary(figures.withReaders) },
        ratio: summary(figures.ratio),
        readerRps: summary(figures.readerRps),
        readerRequests: sagas.readerSeries.requests,
        readerErrors: sagas.readerSeries.errors,
      },
      checks,
      errors,
      ok: !failed,
    }),
  );
} catch (error) {
  failed = true;
  if (!interrupted) console.error(error);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
