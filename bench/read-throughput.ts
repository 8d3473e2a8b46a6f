/**
 * Order reads against a bare graphql-yoga server, same client, same run (../shared/baselines/p4):
 *   npm run bench:reads -- [seconds=5] [rounds=5] [concurrency=32] [sagaOrders=60]
 * Starts `npm run dev` (file-backed Temporal, SQLite, worker in the API process, identity and the payload codec on)
 * and the bare server, places orders, then per round loads the bare server and each read in turn (A/B/A/B),
 * each from a load client in its own process with a staff token. Reports requests/s, p50 and p99 per read and its
 * ratio to the bare server's requests/s in the same round (median and range over the rounds); then places and
 * pays orders with no readers and with `concurrency` clients reading order(id), alternated, to show what reads
 * cost the sagas. Any error answer fails the run.
 */
import type { ChildProcess } from 'node:child_process';
import { graphql, median, spawnNode, startEmbeddedStack, stopChild, waitForOutput } from './embedded-stack';

const [seconds = 5, rounds = 5, concurrency = 32, sagaOrders = 60] = process.argv.slice(2).map(Number);
const PORTS = { api: 4610, temporal: 7610, ui: 8610 };
const BARE_PORT = 4611;
const SKU = 'BENCH-READ';

const DETAIL = `id customerId status version totalCents failureReason
  items { sku quantity unitPriceCents } timeline { version status step message at }
  payment { status amountCents refundedCents } shipments { id warehouse trackingNumber status }`;

interface LoadResult {
  rps: number;
  errors: number;
  firstError?: string;
  p50: number;
  p99: number;
}

/** A load client in its own process for `secs` seconds; `child` lets the caller stop it sooner. */
function startLoad(url: string, query: string, authorization: string | undefined, secs: number) {
  const args = [url, JSON.stringify({ query }), String(secs), String(concurrency)];
  const child = spawnNode('bench/load-client.ts', authorization ? [...args, authorization] : args);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load client failed (${code}): ${output}`));
      else resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as LoadResult);
    });
  });
  return { child, done };
}

const load = (url: string, query: string, authorization?: string) =>
  startLoad(url, query, authorization, seconds).done;

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code message } } }`;
const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { id status } userErrors { code message } } }`;

/** Places `count` orders (10 in flight) for one customer; pays them when asked; answers orders/s and the ids. */
async function placeOrders(url: string, token: string, count: number, pay: boolean) {
  const ids: string[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < count) {
        next += 1;
        const placed = await graphql<{
          placeOrder: { order: { id: string; status: string } | null; userErrors: unknown[] };
        }>(url, token, PLACE, {
          input: {
            items: [{ sku: SKU, quantity: 1 }],
            address: { name: 'Ada', line1: '1 St', city: 'London', postalCode: 'N1', country: 'GB' },
          },
        });
        const order = placed.placeOrder.order;
        if (order?.status !== 'AWAITING_PAYMENT')
          throw new Error(`placing failed: ${JSON.stringify(placed)}`);
        if (pay) {
          const paid = await graphql<{
            payOrder: { order: { status: string } | null; userErrors: unknown[] };
          }>(url, token, PAY, { input: { orderId: order.id, paymentMethod: 'tok_visa' } });
          if (!['SHIPPING', 'COMPLETED'].includes(paid.payOrder.order?.status ?? ''))
            throw new Error(`paying failed: ${JSON.stringify(paid)}`);
        }
        ids.push(order.id);
      }
    }),
  );
  return { ids, perSecond: count / ((performance.now() - started) / 1000) };
}

function range(values: number[], digits = 0): string {
  const fixed = (value: number) => value.toFixed(digits);
  return `${fixed(median(values))} (${fixed(Math.min(...values))}-${fixed(Math.max(...values))})`;
}

const stack = await startEmbeddedStack(PORTS);
let bare: ChildProcess | undefined;
let failed = false;
try {
  bare = spawnNode('bench/bare-yoga.ts', [String(BARE_PORT)]);
  await waitForOutput(bare, /bare yoga up/);
  const admin = await stack.token('admin');
  const customer = await stack.token('customer', 'bench-reader');
  const staff = `Bearer ${await stack.token('staff')}`;
  await graphql(
    stack.url,
    admin,
    `mutation($input: UpsertProductInput!) { upsertProduct(input: $input) { userErrors { code } } }`,
    {
      input: { sku: SKU, name: 'Bench mug', priceCents: 1_500, stock: 1_000_000, discontinued: false },
    },
  );
  const { ids } = await placeOrders(stack.url, customer, 60, true);
  const orderId = ids[0] ?? '';

  const reads = {
    'order(id)': `{ order(id: "${orderId}") { ${DETAIL} } }`,
    'order(id, fresh: true)': `{ order(id: "${orderId}", fresh: true) { ${DETAIL} } }`,
    'orders(first: 50) with detail': `{ orders(first: 50) { edges { node { ${DETAIL} } } } }`,
    products: '{ products { sku name priceCents available reserved } }',
  };
  const bareUrl = `http://127.0.0.1:${BARE_PORT}/graphql`;
  const results = new Map<string, { rps: number[]; ratio: number[]; p50: number[]; p99: number[] }>();
  const record = (name: string, result: LoadResult, bareRps: number) => {
    if (result.errors > 0) {
      failed = true;
      console.error(`${name}: ${result.errors} error answers, first: ${result.firstError}`);
    }
    const entry = results.get(name) ?? { rps: [], ratio: [], p50: [], p99: [] };
    entry.rps.push(result.rps);
    entry.ratio.push(result.rps / bareRps);
    entry.p50.push(result.p50);
    entry.p99.push(result.p99);
    results.set(name, entry);
  };
  for (let round = 1; round <= rounds; round += 1) {
    for (const [name, query] of Object.entries(reads)) {
      const baseline = await load(bareUrl, '{ hello }');
      record('bare yoga { hello }', baseline, baseline.rps);
      record(name, await load(`${stack.url}/graphql`, query, staff), baseline.rps);
    }
    console.log(`round ${round} of ${rounds} done`);
  }

  console.log(
    `\nreads, ${rounds} rounds of ${seconds} s, ${concurrency} clients, identity and payload codec on`,
  );
  console.log('read | requests/s | x bare (same round) | p50 ms | p99 ms');
  for (const [name, entry] of results) {
    console.log(
      `${name} | ${range(entry.rps)} | ${range(entry.ratio, 2)} | ${range(entry.p50, 1)} | ${range(entry.p99, 1)}`,
    );
  }

  const sagas: { alone: number[]; withReaders: number[] } = { alone: [], withReaders: [] };
  for (let round = 1; round <= 2; round += 1) {
    sagas.alone.push((await placeOrders(stack.url, customer, sagaOrders, true)).perSecond);
    const readers = startLoad(`${stack.url}/graphql`, reads['order(id)'], staff, 3_600);
    readers.done.catch(() => undefined);
    sagas.withReaders.push((await placeOrders(stack.url, customer, sagaOrders, true)).perSecond);
    await stopChild(readers.child);
  }
  console.log(
    `\nplace and pay ${sagaOrders} orders (10 in flight), orders/s: alone ${range(sagas.alone, 1)}, with ${concurrency} clients reading order(id) ${range(sagas.withReaders, 1)}`,
  );
  console.log(JSON.stringify({ reads: Object.fromEntries(results), sagas }));
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  if (bare) await stopChild(bare);
  await stack.stop();
}
process.exit(failed ? 1 : 0);
