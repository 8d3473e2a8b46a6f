/**
 * Fault suite: an API process with live graphql-ws subscribers is SIGKILLed twice while their orders move on
 * (driven through another API), and started again on the same port each time. The subscribers resubscribe with the
 * last version they saw, as the demo page does, and each ends up with every version 1..n once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followResuming } from '../support/graphql-client';
import { stockShelf } from '../support/ledger';
import {
  actOnOrder,
  awaitSettled,
  faultSeed,
  placeOrder,
  planOrders,
  seededRandom,
  settlementProblems,
} from '../support/order-mix';
import { freePort } from '../support/ports';
import { type ChildHandle, spawnTs } from '../support/processes';
import { type Stack, startStack } from '../support/stack';

const ORDERS = 10;
const SUBSCRIBERS_PER_ORDER = 2;
const STOCK = { mugs: 100, lamps: 100 };

let stack: Stack;
let port: number;
let subscribedApi: ChildHandle | undefined;

beforeAll(async () => {
  [stack, port] = await Promise.all([startStack('fault-api-restart'), freePort()]);
});

afterAll(async () => {
  await subscribedApi?.kill('SIGKILL');
  await stack?.stop();
});

/** The API the subscribers use, always on the same port, as behind a load balancer's fixed address. */
async function startSubscribedApi(): Promise<void> {
  subscribedApi = spawnTs('server/main.ts', { ...stack.processEnv, PORT: String(port) });
  await subscribedApi.waitFor(/Orderflow API on http:\/\/localhost:\d+/);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the API restarted under live subscribers', () => {
  it('every subscriber resumes with the last version it saw and gets every version once, in order', async () => {
    const seed = faultSeed('fault-api-restart');
    const random = seededRandom(seed);
    const shelf = await stockShelf(stack.db.orm, STOCK);
    const orders = planOrders(`restart-${seed}`, ORDERS, shelf, random);
    const deadline = Date.now() + 60_000;
    await Promise.all([
      startSubscribedApi(),
      ...orders.map((order) => placeOrder(() => stack.api.url, order, deadline)),
    ]);

    const subscribedUrl = `http://127.0.0.1:${port}`;
    const subscribers = orders.flatMap((order) =>
      Array.from({ length: SUBSCRIBERS_PER_ORDER }, () => ({
        order,
        stream: followResuming(subscribedUrl, order.orderId),
      })),
    );
    while (subscribers.some(({ stream }) => stream.events.length === 0)) await sleep(100);

    // Down while every order is paid or cancelled; down again at a random moment of the sagas that follow.
    await subscribedApi?.kill('SIGKILL');
    const acting = Promise.all(orders.map((order) => actOnOrder(() => stack.api.url, order, deadline)));
    await sleep(1_500 + Math.floor(random() * 1_500));
    await startSubscribedApi();
    await sleep(Math.floor(random() * 1_500));
    await subscribedApi?.kill('SIGKILL');
    await sleep(1_000 + Math.floor(random() * 1_500));
    await startSubscribedApi();
    await acting;

    const settled = await awaitSettled(stack.api.url, orders, 60_000);
    const streams = await Promise.all(subscribers.map(({ stream }) => stream.done));
    const wrong = subscribers.flatMap(({ order }, index) => {
      const versions = streams[index]?.events.map((event) => event.version) ?? [];
      const final = settled.get(order.orderId);
      const wanted = Array.from({ length: final?.version ?? 0 }, (_, version) => version + 1);
      return versions.join() === wanted.join() && streams[index]?.events.at(-1)?.status === final?.status
        ? []
        : [
            `${order.orderId}: got versions ${versions.join()}, expected ${wanted.join()} ending ${final?.status}`,
          ];
    });
    expect(wrong).toEqual([]);
    const resubscriptions = streams.reduce((sum, stream) => sum + stream.resubscriptions, 0);
    console.log(`fault-api-restart: ${subscribers.length} subscribers resubscribed ${resubscriptions} times`);
    expect(resubscriptions).toBeGreaterThanOrEqual(subscribers.length);
    expect(await settlementProblems(stack.db.orm, shelf, STOCK, orders, settled)).toEqual([]);
  }, 120_000);
});
