/**
 * Fault suite: the database goes down for ~10 s under load. The stack runs on a MariaDB server of this file's own
 * (own data directory and port), which is SIGKILLed while orders are being paid, cancelled and placed, and started
 * again 10 s later. The worker's long retry policy (1 s doubling to 1 min, for 6 h) carries every order through:
 * none fails as INTERNAL, nothing is escalated, and the ledgers add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockShelf } from '../support/ledger';
import { type OwnMariaDb, startOwnMariaDb } from '../support/mariadb';
import {
  actOnOrder,
  awaitSettled,
  driveOrder,
  faultSeed,
  placeOrder,
  planOrders,
  seededRandom,
  settlementProblems,
} from '../support/order-mix';
import { type Stack, startStack } from '../support/stack';

const OUTAGE_MS = 10_000;
/** Placed before the outage and paid or cancelled during it. */
const WAITING_ORDERS = 10;
/** Placed during the outage. */
const NEW_ORDERS = 5;
const STOCK = { mugs: 100, lamps: 100 };

let mariadb: OwnMariaDb;
let stack: Stack;

beforeAll(async () => {
  mariadb = await startOwnMariaDb();
  stack = await startStack('fault-mariadb-outage', {}, { databaseServer: mariadb.url });
});

afterAll(async () => {
  await mariadb?.start().catch(() => undefined);
  await stack?.stop();
  await mariadb?.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a 10 s outage of the database under load', () => {
  it('every order completes or fails as planned, none INTERNAL, nothing escalated, the ledgers add up', async () => {
    const seed = faultSeed('fault-mariadb-outage');
    const random = seededRandom(seed);
    const shelf = await stockShelf(stack.db.orm, STOCK);
    const orders = planOrders(`outage-${seed}`, WAITING_ORDERS + NEW_ORDERS, shelf, random);
    const waiting = orders.slice(0, WAITING_ORDERS);
    const url = () => stack.api.url;
    const deadline = Date.now() + 90_000;
    await Promise.all(waiting.map((order) => placeOrder(url, order, deadline)));

    await mariadb.crash();
    const outageStarted = Date.now();
    // Payments and cancellations go out at random moments of the outage, new orders too.
    const driving = Promise.all([
      ...waiting.map((order) =>
        sleep(random() * OUTAGE_MS * 0.8).then(() => actOnOrder(url, order, deadline)),
      ),
      ...orders
        .slice(WAITING_ORDERS)
        .map((order) => sleep(random() * OUTAGE_MS * 0.8).then(() => driveOrder(url, order, 90_000))),
    ]);
    await sleep(OUTAGE_MS - (Date.now() - outageStarted));
    await mariadb.start();
    console.log(`fault-mariadb-outage: the database was down for ${Date.now() - outageStarted} ms`);

    await driving;
    const settled = await awaitSettled(stack.api.url, orders, 90_000);
    expect([...settled.values()].filter((order) => order.failure?.code === 'INTERNAL')).toEqual([]);
    expect(await settlementProblems(stack.db.orm, shelf, STOCK, orders, settled)).toEqual([]);
  }, 180_000);
});
