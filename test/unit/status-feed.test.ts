/**
 * The status feed against orders held in memory (workflows, the order table's change log, Temporal's list of
 * closed workflows): what each subscriber receives, when streams end, how watchers are shared and stopped, when
 * the workflow is read, and that change detection never misses or repeats a version.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderStatusEvent } from '../../common/order';
import type { ChangeDetection } from '../../server/change-detector';
import { StatusFeed } from '../../server/status-feed';
import { FakeOrders } from '../support/fake-orders';

const QUICK: ChangeDetection = { tickMs: 5, overlapMs: 50, sweepMs: 100, pageSize: 7 };
/** Change detection so rare that only a nudge makes the watcher read. */
const NO_DETECTION: ChangeDetection = { ...QUICK, tickMs: 60_000 };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function collect(stream: AsyncIterable<OrderStatusEvent>): Promise<OrderStatusEvent[]> {
  const events: OrderStatusEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt += 1) await pause(5);
}

const feeds: StatusFeed[] = [];
function feedOf(orders: FakeOrders, detection = QUICK): StatusFeed {
  const feed = new StatusFeed(orders, orders, { detection, closedOrders: orders, storedOrders: orders });
  feeds.push(feed);
  return feed;
}

afterEach(() => {
  for (const feed of feeds.splice(0)) feed.close();
  vi.useRealTimers();
});

describe('what a subscriber receives', () => {
  it('the current state first, then every change in version order, and the stream ends at a final status', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'RESERVING');
    orders.advance('o1', 'AWAITING_PAYMENT');
    const feed = feedOf(orders);
    const stream = feed.stream('o1');
    expect((await stream.next()).value).toMatchObject({
      orderId: 'o1',
      version: 3,
      status: 'AWAITING_PAYMENT',
    });

    orders.advance('o1', 'CHARGING');
    orders.advance('o1', 'COMPENSATING');
    orders.advance('o1', 'FAILED');
    const rest = await collect(stream);

    expect(rest.map((event) => [event.version, event.status])).toEqual([
      [4, 'CHARGING'],
      [5, 'COMPENSATING'],
      [6, 'FAILED'],
    ]);
    expect(rest.every((event) => event.order.version === 6)).toBe(true);
    await until(() => feed.activeWatchers() === 0);
    expect(feed.activeWatchers()).toBe(0);
  });

  it('with sinceVersion, every entry after that version first, then every change, each once', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'RESERVING');
    orders.advance('o1', 'AWAITING_PAYMENT');
    orders.advance('o1', 'CHARGING');
    const feed = feedOf(orders);
    const stream = feed.stream('o1', 1);
    const replayed = [await stream.next(), await stream.next(), await stream.next()];
    expect(replayed.map((result) => result.value?.version)).toEqual([2, 3, 4]);

    orders.advance('o1', 'COMPENSATING');
    feed.nudge('o1');
    orders.advance('o1', 'CANCELLED');
    feed.nudge('o1');
    expect((await collect(stream)).map((event) => event.version)).toEqual([5, 6]);
  });

  it('resuming at the version the table shows reads nothing until the order moves, then sends each entry once', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'RESERVING');
    orders.advance('o1', 'AWAITING_PAYMENT');
    const feed = feedOf(orders);
    const stream = feed.stream('o1', 3);
    const first = stream.next();
    await until(() => feed.activeWatchers() === 1);
    await pause(3 * QUICK.tickMs + QUICK.sweepMs);
    expect(orders.reads).toBe(0);

    orders.advance('o1', 'CHARGING');
    orders.advance('o1', 'SHIPPING');
    expect((await first).value).toMatchObject({ version: 4, status: 'CHARGING' });
    expect((await stream.next()).value).toMatchObject({ version: 5, status: 'SHIPPING' });
    expect(orders.reads).toBe(1);
    await stream.return();
  });

  it('a watcher whose stream is still checking the table is left alone by the change detector', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'AWAITING_PAYMENT');
    let openGate: () => void = () => undefined;
    orders.storedGate = new Promise((resolve) => {
      openGate = resolve;
    });
    const feed = feedOf(orders);
    const stream = feed.stream('o1', 2);
    const next = stream.next();
    await until(() => feed.activeWatchers() === 1);
    // Ticks and a sweep pass while the table check waits: none of them reads the workflow.
    await pause(QUICK.sweepMs + 3 * QUICK.tickMs);
    expect(orders.reads).toBe(0);

    orders.storedGate = undefined;
    openGate();
    await pause(QUICK.sweepMs + 3 * QUICK.tickMs);
    expect(orders.reads).toBe(0);
    orders.advance('o1', 'CHARGING');
    expect((await next).value).toMatchObject({ version: 3, status: 'CHARGING' });
    await stream.return();
  });

  it('resuming while the workflow is ahead of its row: the change arrives once the row is written', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'AWAITING_PAYMENT');
    orders.holdRows();
    orders.advance('o1', 'CHARGING');
    const feed = feedOf(orders);
    const stream = feed.stream('o1', 2);
    const next = stream.next();
    await until(() => feed.activeWatchers() === 1);
    await pause(3 * QUICK.tickMs);
    expect(orders.reads).toBe(0);

    orders.releaseRows();
    expect((await next).value).toMatchObject({ version: 3, status: 'CHARGING' });
    await stream.return();
  });

  it("resuming on an order that is not the subscriber's is UNKNOWN_ORDER, with no workflow read", async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders);
    await expect(feed.stream('o1', 1, () => false).next()).rejects.toMatchObject({
      extensions: { code: 'UNKNOWN_ORDER' },
    });
    expect(orders.reads).toBe(0);
    await until(() => feed.activeWatchers() === 0);
    expect(feed.activeWatchers()).toBe(0);
  });

  it('reads that find the same version send nothing, however often the watcher is nudged', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders, NO_DETECTION);
    const stream = feed.stream('o1');
    await stream.next();
    const before = orders.reads;
    for (let nudge = 0; nudge < 10; nudge += 1) feed.nudge('o1');
    await pause(20);
    expect(orders.reads - before).toBe(1); // nudges of one turn are read once
    for (let nudge = 0; nudge < 5; nudge += 1) {
      feed.nudge('o1');
      await pause(5);
    }
    expect(orders.reads - before).toBe(6);
    orders.advance('o1', 'FAILED');
    feed.nudge('o1');
    expect((await collect(stream)).map((event) => event.version)).toEqual([2]);
  });

  it('a change reported again while a read is under way costs no second read once that read brought it', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders, NO_DETECTION);
    const stream = feed.stream('o1');
    await stream.next();
    const before = orders.reads;
    let openGate: () => void = () => undefined;
    orders.gate = new Promise((resolve) => {
      openGate = resolve;
    });
    orders.advance('o1', 'RESERVING');
    feed.nudge('o1', 2); // the worker reports version 2: a read starts, held at the gate
    await pause(5);
    feed.nudge('o1', 2); // the order table reports version 2 while that read is under way
    await pause(5);
    orders.gate = undefined;
    openGate();
    expect((await stream.next()).value).toMatchObject({ version: 2 });
    await pause(20);
    expect(orders.reads - before).toBe(1);
    feed.nudge('o1'); // a mutation sent here: no version known, so it reads
    await pause(20);
    expect(orders.reads - before).toBe(2);
    await stream.return();
  });

  it('a subscriber that reads slowly still gets every entry once, in order', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders);
    const stream = feed.stream('o1');
    await stream.next();
    for (let change = 0; change < 50; change += 1) {
      orders.advance('o1', 'SHIPPING', `parcel ${change}`);
      feed.nudge('o1');
      await pause(1);
    }
    orders.advance('o1', 'FAILED');
    feed.nudge('o1');
    const versions = (await collect(stream)).map((event) => event.version);
    expect(versions).toEqual(Array.from({ length: 51 }, (_, index) => index + 2));
  });

  it('a nudge reads the workflow at once instead of waiting for the next poll', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders, NO_DETECTION);
    const stream = feed.stream('o1');
    await stream.next();
    orders.advance('o1', 'RESERVING');
    feed.nudge('o1');
    const next = await Promise.race([stream.next(), pause(500).then(() => 'too late' as const)]);
    expect(next).not.toBe('too late');
    expect(next).toMatchObject({ value: { version: 2, status: 'RESERVING' } });
    await stream.return();
  });
});

describe('states a worker in this process writes', () => {
  const writtenState = async (orders: FakeOrders, orderId: string) => {
    const state = await orders.stored(orderId);
    if (!state) throw new Error(`order ${orderId} has no row`);
    return { orderId, version: state.version, state };
  };
  /** A subscriber of o1 that has had its first event, on a feed that reads the workflow only when told to. */
  const subscribed = async (orders: FakeOrders) => {
    const feed = feedOf(orders, NO_DETECTION);
    const stream = feed.stream('o1');
    await stream.next();
    return { feed, stream, readsBefore: orders.reads };
  };

  it('reach the subscribers with no workflow read, each entry once; an older write is ignored', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const { feed, stream, readsBefore } = await subscribed(orders);
    orders.advance('o1', 'RESERVING');
    const reserving = await writtenState(orders, 'o1');
    orders.advance('o1', 'AWAITING_PAYMENT');
    feed.written(await writtenState(orders, 'o1'));
    feed.written(reserving); // a late write of an older version
    orders.end('o1', 'FAILED');
    feed.written(await writtenState(orders, 'o1'));

    const events = await collect(stream);
    expect(events.map((event) => [event.version, event.status])).toEqual([
      [2, 'RESERVING'],
      [3, 'AWAITING_PAYMENT'],
      [4, 'FAILED'],
    ]);
    expect(orders.reads - readsBefore).toBe(0);
  });

  it('a row written without a state (an order begun before the read model) reads the workflow at that version', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const { feed, stream, readsBefore } = await subscribed(orders);
    orders.advance('o1', 'RESERVING');
    feed.written({ orderId: 'o1', version: 2, state: null });
    expect((await stream.next()).value).toMatchObject({ version: 2, status: 'RESERVING' });
    expect(orders.reads - readsBefore).toBe(1);
    await stream.return();
  });

  it("the saga's last state ends the streams even at a lower version (a re-run task ended the order sooner)", async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'RESERVING');
    const reserving = await writtenState(orders, 'o1');
    orders.advance('o1', 'AWAITING_PAYMENT');
    const feed = feedOf(orders, NO_DETECTION);
    const stream = feed.stream('o1');
    expect((await stream.next()).value).toMatchObject({ version: 3 });
    feed.written({ ...reserving, state: { ...reserving.state, status: 'CANCELLED', ended: true } });
    expect(await collect(stream)).toEqual([]);
    await until(() => feed.activeWatchers() === 0);
    expect(feed.activeWatchers()).toBe(0);
  });

  it('an order nobody watches is left alone: no watcher, no read', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders, NO_DETECTION);
    feed.written(await writtenState(orders, 'o1'));
    feed.written({ orderId: 'o1', version: 1, state: null });
    await pause(20);
    expect(feed.activeWatchers()).toBe(0);
    expect(orders.reads).toBe(0);
  });
});

describe('when streams end', () => {
  it('a closed workflow ends its streams even when the order could still change', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'COMPLETED');
    const feed = feedOf(orders);
    const stream = feed.stream('o1');
    expect((await stream.next()).value?.status).toBe('COMPLETED');
    orders.close('o1');
    expect(await collect(stream)).toEqual([]);
    await until(() => feed.activeWatchers() === 0);
    expect(feed.activeWatchers()).toBe(0);
  });

  it('the last change before a close arrives even when a read that started earlier answers last', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.advance('o1', 'COMPLETED');
    const feed = feedOf(orders);
    const stream = feed.stream('o1');
    await stream.next();
    let openGate: () => void = () => undefined;
    orders.gate = new Promise((resolve) => {
      openGate = resolve;
    });
    feed.nudge('o1'); // this read sees version 2 and is held
    orders.advance('o1', 'COMPLETED', 'return window ended');
    orders.close('o1');
    await pause(20);
    orders.gate = undefined;
    orders.latencyMs = 20; // the reads after the held one answer after the close has been noticed
    openGate();
    expect((await collect(stream)).map((event) => [event.version, event.message])).toEqual([
      [3, 'return window ended'],
    ]);
  });

  it("the saga's last change arrives before the stream ends, though its watcher marks itself closed first", async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const orders = new FakeOrders();
      orders.place('o1');
      const feed = feedOf(orders, NO_DETECTION);
      const stream = feed.stream('o1');
      await stream.next();
      orders.end('o1', 'COMPLETED');
      feed.nudge('o1');
      expect((await collect(stream)).map((event) => event.version)).toEqual([2]);
    }
  });

  it('an unknown order ends the stream with UNKNOWN_ORDER naming it, and releases its watcher', async () => {
    const feed = feedOf(new FakeOrders());
    const failure = await collect(feed.stream('ghost')).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      message: expect.stringContaining('ghost'),
      extensions: { code: 'UNKNOWN_ORDER' },
    });
    await until(() => feed.activeWatchers() === 0);
    expect(feed.activeWatchers()).toBe(0);
  });

  it('an order that cannot be read is ORDER_UNAVAILABLE, not unknown, and the cause stays inside', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    orders.failing = new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233');
    const feed = feedOf(orders);
    const failure = await collect(feed.stream('o1')).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      message: expect.stringContaining('o1'),
      extensions: { code: 'ORDER_UNAVAILABLE' },
    });
    expect((failure as Error).message).not.toContain('ECONNREFUSED');
  });
});

describe('watchers', () => {
  it('subscribers of one order share one watcher, which stops with the last of them: no more reads of any kind', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders);
    const first = feed.stream('o1');
    const second = feed.stream('o1');
    await first.next();
    await second.next();
    expect(feed.activeWatchers()).toBe(1);

    await first.return();
    await pause(20);
    expect(feed.activeWatchers()).toBe(1);
    await second.return();
    await until(() => feed.activeWatchers() === 0);
    expect(feed.activeWatchers()).toBe(0);
    await pause(20); // a tick already under way ends the loop
    const [reads, logReads] = [orders.reads, orders.logReads];
    orders.advance('o1', 'RESERVING');
    await pause(100);
    expect([orders.reads, orders.logReads]).toEqual([reads, logReads]);
  });

  it('an idle watched order costs no workflow read; a change in the table makes its watcher read it', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders);
    const stream = feed.stream('o1');
    await stream.next();
    const reads = orders.reads;
    await pause(300);
    expect(orders.reads).toBe(reads);
    orders.advance('o1', 'RESERVING');
    expect((await stream.next()).value).toMatchObject({ version: 2, status: 'RESERVING' });
    expect(orders.reads).toBe(reads + 1);
    await stream.return();
  });

  it('a change whose row the table shows too late for the overlap still arrives, by the sweep', async () => {
    const orders = new FakeOrders();
    orders.place('o1');
    const feed = feedOf(orders);
    const stream = feed.stream('o1');
    await stream.next();
    await pause(30);
    orders.advance('o1', 'RESERVING', 'late commit', 10_000);
    const next = await Promise.race([stream.next(), pause(1_000).then(() => 'missed' as const)]);
    expect(next).toMatchObject({ value: { version: 2, message: 'late commit' } });
    await stream.return();
  });
});

describe('change detection, property-style', () => {
  /** A small seeded generator, so a failing run can be replayed from the seed it prints. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state * 1_664_525 + 1_013_904_223) >>> 0;
      return state / 2 ** 32;
    };
  }

  it('many orders changing at once, watchers joining and leaving: every subscriber gets each version once, in order', async () => {
    const seed = Number(process.env.FEED_SEED ?? Date.now() % 100_000);
    const next = random(seed);
    const orders = new FakeOrders();
    const ids = Array.from({ length: 30 }, (_, index) => `p${index}`);
    for (const id of ids) orders.place(id);
    const feed = feedOf(orders);
    const CHANGES = 8;

    const subscriber = async (id: string) => {
      const stream = feed.stream(id, 1);
      const versions: number[] = [];
      const leaveAfter = next() < 0.3 ? 1 + Math.floor(next() * CHANGES) : Number.POSITIVE_INFINITY;
      for await (const event of stream) {
        versions.push(event.version);
        if (versions.length >= leaveAfter) break;
      }
      return { id, versions, left: leaveAfter !== Number.POSITIVE_INFINITY };
    };
    const watching = ids.flatMap((id) =>
      Array.from({ length: 1 + Math.floor(next() * 3) }, () => subscriber(id)),
    );
    const writers = ids.map(async (id) => {
      for (let change = 1; change <= CHANGES; change += 1) {
        await pause(Math.floor(next() * 15));
        // Some commits land well after their stamp, some past the overlap (the sweep must catch those).
        const lag = next() < 0.2 ? Math.floor(next() * 40) : next() < 0.05 ? 500 : 0;
        orders.advance(id, change === CHANGES ? 'FAILED' : 'SHIPPING', `change ${change}`, lag);
        if (next() < 0.5) await pause(Math.floor(next() * 60)).then(() => watching.push(subscriber(id)));
      }
    });
    await Promise.all(writers);
    const results = await Promise.all(watching);
    for (const { id, versions, left } of results) {
      const first = versions[0] ?? 2;
      const expected = Array.from(
        { length: left ? versions.length : CHANGES + 2 - first },
        (_, i) => first + i,
      );
      expect(versions, `seed ${seed}, order ${id}`).toEqual(expected);
    }
  }, 30_000);
});
