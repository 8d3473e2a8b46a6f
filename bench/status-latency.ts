/**
 * Latency from a status change in the workflow to the subscriber's graphql-ws event, median and p99 over
 * at least 200 changes, with the worker in the API's process (it nudges the feed) and with the worker in
 * another process (the feed polls adaptively).  npm run bench:latency -- [orders=40]
 */

import { collectOverWebSocket, post } from '../test/support/graphql-client';
import { stockShelf } from '../test/support/ledger';
import { spawnTs } from '../test/support/processes';
import { startStack } from '../test/support/stack';
import { upsertProduct } from '../worker/catalog';

const orders = Number(process.argv[2] ?? 40);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(workerApart: boolean): Promise<number[]> {
  const stack = await startStack(
    `latency-${workerApart ? 'apart' : 'in'}`,
    { RETURN_WINDOW: '1s' },
    workerApart,
  );
  const worker = workerApart ? spawnTs('worker/main.ts', stack.processEnv) : undefined;
  await worker?.waitFor(/worker polling/);
  const latencies: number[] = [];
  try {
    const shelf = await stockShelf(stack.db.orm);
    await upsertProduct(stack.db.orm, {
      sku: shelf.mug,
      name: 'Mug',
      priceCents: 1500,
      stock: orders,
      discontinued: false,
    });
    for (let index = 0; index < orders; index += 1) {
      const placed = await post<{ placeOrder: { order: { id: string; version: number } } }>(
        stack.api.url,
        `mutation { placeOrder(input: { customerId: "bench", items: [{ sku: "${shelf.mug}", quantity: 1 }],
          address: { name: "B", line1: "1 St", city: "Oslo", postalCode: "0150", country: "NO" } }) { order { id version } } }`,
      );
      const order = placed.body.data?.placeOrder.order;
      let live = Number.POSITIVE_INFINITY;
      let ready: () => void = () => undefined;
      const subscribed = new Promise<void>((resolve) => {
        ready = resolve;
      });
      const stream = collectOverWebSocket(stack.api.url, { id: order?.id }, (event) => {
        if (live === Number.POSITIVE_INFINITY) {
          live = event.version;
          ready();
        } else {
          latencies.push(Date.now() - Date.parse(event.at));
        }
      });
      await subscribed;
      await post(
        stack.api.url,
        `mutation { payOrder(input: { orderId: "${order?.id}", paymentMethod: "tok_visa" }) { order { id } } }`,
      );
      await stream.done;
    }
  } finally {
    await stack.stop();
    await worker?.kill();
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
