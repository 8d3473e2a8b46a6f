/**
 * The live status feed: an in-process pubsub fed by workflow queries. One watcher per watched order,
 * shared by its subscribers and stopped with the last of them; each subscriber gets every timeline entry
 * once, in version order, and keeps only the newest state while it is slow (memory stays bounded). Which
 * watched orders moved comes from the order table (the change detector), nudges from this process's own
 * mutations, and, for workflows closed without their saga's last change (terminated), from Temporal's visibility
 * list: an order nobody changes costs no query, and neither does a subscriber resuming by version on an order that
 * has not moved since. A worker in the same process hands on each state as it commits it to the order table, so in
 * the embedded default a watched order costs no query as it moves (`written`).
 */
import { GraphQLError } from 'graphql';
import { createPubSub, Repeater } from 'graphql-yoga';
import { SUBSCRIPTION_LIMITS } from '../common/limits';
import { isFinal, type OrderState, type OrderStatusEvent, type TimelineEntry } from '../common/order';
import type { RowWrite } from '../database/row-writes';
import {
  CHANGE_DETECTION,
  type ChangeDetection,
  ChangeDetector,
  type OrderChangeSource,
} from './change-detector';
import { type OrderSource, OrderWatcher } from './order-watcher';

/** Which orders' workflows closed since a moment (Temporal's visibility list). */
export interface ClosedOrders {
  closedSince(sinceMs: number): Promise<string[]>;
}

/** The order as the order table holds it (database/order-snapshots.ts): its version as written, and whose it is. */
export interface StoredOrders {
  stored(orderId: string): Promise<OrderState | null>;
}

/** Visibility lags the close a little: each look for closed workflows goes back this much further. */
const CLOSED_LOOKBACK_MS = 60_000;

export interface StatusFeedOptions {
  detection?: ChangeDetection;
  /** Past this many watched orders, a subscription to one more is refused. */
  maxWatchedOrders?: number;
  closedOrders?: ClosedOrders;
  /** Lets a subscriber resuming by version start without a workflow read while its order has not moved. */
  storedOrders?: StoredOrders;
}

/** The state with the highest version, the earliest of equals. */
function newestOf(...states: (OrderState | null)[]): OrderState | null {
  return states.reduce<OrderState | null>(
    (best, candidate) => (candidate && (!best || candidate.version > best.version) ? candidate : best),
    null,
  );
}

function eventOf(entry: TimelineEntry, order: OrderState): OrderStatusEvent {
  return { ...entry, orderId: order.orderId, order };
}

export function unknownOrder(orderId: string): GraphQLError {
  return new GraphQLError(`order ${orderId} does not exist`, { extensions: { code: 'UNKNOWN_ORDER' } });
}

/** Temporal did not answer the first read: say so with the order id, rather than call the order unknown. */
export function unreadableOrder(orderId: string, cause: unknown): GraphQLError {
  return new GraphQLError(`order ${orderId} cannot be read right now; subscribe again shortly`, {
    extensions: { code: 'ORDER_UNAVAILABLE' },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/** A cap on subscriptions (per connection, or orders watched by this process) is reached. */
export function tooManySubscriptions(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
}

export class StatusFeed {
  private readonly pubsub = createPubSub<{ 'order:status': [orderId: string, state: OrderState] }>();
  private readonly watchers = new Map<string, OrderWatcher>();
  private readonly detector: ChangeDetector;
  private readonly maxWatchedOrders: number;
  private loop: NodeJS.Timeout | undefined;
  /** Orders nudged in this turn of the event loop, with the version each must reach. */
  private readonly nudged = new Map<string, number>();
  private flush: NodeJS.Immediate | undefined;
  private lastClosedLook = Date.now();

  constructor(
    private readonly source: OrderSource,
    changes: OrderChangeSource,
    private readonly options: StatusFeedOptions = {},
  ) {
    this.maxWatchedOrders = options.maxWatchedOrders ?? SUBSCRIPTION_LIMITS.watchedOrders;
    this.detector = new ChangeDetector(
      changes,
      {
        versionOf: (orderId) => {
          const watcher = this.watchers.get(orderId);
          return watcher?.started ? watcher.version : undefined;
        },
        watchedOrderIds: () => [...this.watchers.keys()],
        moved: (orderId, version) => this.nudge(orderId, version),
      },
      options.detection ?? CHANGE_DETECTION,
    );
  }

  /** How many orders are being watched now (tests use it to prove watchers stop). */
  activeWatchers(): number {
    return this.watchers.size;
  }

  /**
   * The order moved: its watcher reads it. Nudges of one turn of the event loop are read once: the worker reports
   * every change of a workflow task together, often two or three.
   */
  nudge(orderId: string, version = Number.POSITIVE_INFINITY): void {
    if (!this.watchers.has(orderId)) return;
    this.nudged.set(orderId, Math.max(version, this.nudged.get(orderId) ?? -1));
    this.flush ??= setImmediate(() => {
      this.flush = undefined;
      for (const [id, atLeast] of this.nudged) void this.watchers.get(id)?.refresh(atLeast);
      this.nudged.clear();
    });
  }

  /**
   * This process committed the order's row: its watcher takes the state written, or, for an order whose workflow
   * writes no state (begun before the read model), reads the workflow at that version.
   */
  written(write: RowWrite): void {
    const watcher = this.watchers.get(write.orderId);
    if (write.state) watcher?.offer(write.state);
    else this.nudge(write.orderId, write.version);
  }

  /**
   * Without `sinceVersion`, the current state first, then every change; with it, every entry after that
   * version first. Ends when the order can no longer change (final status or closed workflow), or at
   * once when the subscriber leaves, however long the order has been idle.
   */
  stream(
    orderId: string,
    sinceVersion?: number | null,
    canSee: (order: OrderState) => boolean = () => true,
  ): Repeater<OrderStatusEvent> {
    return new Repeater<OrderStatusEvent>(async (push, stop) => {
      const watcher = this.acquire(orderId);
      const updates = this.pubsub.subscribe('order:status', orderId);
      const latest: { state: OrderState | null; wake?: () => void } = { state: null };
      const pump = (async () => {
        for await (const state of updates) {
          latest.state = state;
          latest.wake?.();
        }
      })();
      let stopped = false;
      stop.then(() => {
        stopped = true;
        latest.wake?.();
      });
      try {
        let { state, sent } = await this.start(watcher, orderId, sinceVersion, canSee);
        while (!stopped) {
          const current = state;
          if (current) {
            for (const entry of current.timeline) {
              if (entry.version > sent && !stopped) {
                await push(eventOf(entry, current));
                sent = entry.version;
              }
            }
          }
          // The watcher may hold a newer state than the pubsub has handed on yet (it marks itself closed first).
          const newest = newestOf(state, latest.state, watcher.state);
          if (newest !== state) {
            state = newest;
            continue;
          }
          if ((state && (isFinal(state.status) || state.ended)) || watcher.closed) break;
          while (!stopped && !watcher.closed && (latest.state?.version ?? -1) <= sent) {
            await new Promise<void>((resolve) => {
              latest.wake = resolve;
            });
          }
          state = latest.state ?? state;
        }
        stop();
      } catch (error) {
        stop(error);
      } finally {
        await updates.return?.();
        await pump;
        this.release(orderId);
      }
    });
  }

  /**
   * Where a stream starts: the workflow's state, read (once for all of the order's subscribers) unless the subscriber
   * resumes after a version the order table shows the order has not passed. Then nothing is due to it until the order
   * moves, and the table says when it does (the change detector, or this process's nudges): a reconnecting subscriber
   * of an order at rest costs no workflow read. The table's row also says whose order it is.
   */
  private async start(
    watcher: OrderWatcher,
    orderId: string,
    sinceVersion: number | null | undefined,
    canSee: (order: OrderState) => boolean,
  ): Promise<{ state: OrderState | null; sent: number }> {
    if (sinceVersion != null && !watcher.state && this.options.storedOrders) {
      const stored = await this.options.storedOrders.stored(orderId).catch(() => null);
      if (stored && !stored.ended && stored.version <= sinceVersion) {
        if (!canSee(stored)) throw unknownOrder(orderId);
        watcher.knowShown(stored.version);
        return { state: null, sent: sinceVersion };
      }
    }
    const first = await watcher.current().catch((error: unknown) => {
      throw unreadableOrder(orderId, error);
    });
    if (!first || !canSee(first)) throw unknownOrder(orderId);
    return { state: first, sent: sinceVersion ?? first.version - 1 };
  }

  close(): void {
    clearImmediate(this.flush);
    clearTimeout(this.loop);
    this.loop = undefined;
    for (const watcher of this.watchers.values()) watcher.stop();
    this.watchers.clear();
  }

  private acquire(orderId: string): OrderWatcher {
    let watcher = this.watchers.get(orderId);
    if (!watcher) {
      if (this.watchers.size >= this.maxWatchedOrders) {
        throw tooManySubscriptions(
          `this server watches ${this.maxWatchedOrders} orders, its most; try again later`,
        );
      }
      watcher = new OrderWatcher(orderId, this.source, (state) =>
        this.pubsub.publish('order:status', orderId, state),
      );
      this.watchers.set(orderId, watcher);
      if (!this.loop) {
        this.detector.restart();
        this.loop = setTimeout(() => void this.detect(), this.detector.timing.tickMs);
      }
    }
    watcher.subscribers += 1;
    return watcher;
  }

  private release(orderId: string): void {
    const watcher = this.watchers.get(orderId);
    if (!watcher) return;
    watcher.subscribers -= 1;
    if (watcher.subscribers <= 0) {
      watcher.stop();
      this.watchers.delete(orderId);
    }
  }

  /** One tick of change detection while any order is watched; a failed read is simply tried again next tick. */
  private async detect(): Promise<void> {
    try {
      await this.detector.tick();
      await this.closeClosedOrders();
    } catch {
      // The database or Temporal is down for a moment: the watermark stays, nothing is lost by waiting.
    }
    this.loop =
      this.watchers.size > 0 ? setTimeout(() => void this.detect(), this.detector.timing.tickMs) : undefined;
  }

  private async closeClosedOrders(): Promise<void> {
    const { closedOrders } = this.options;
    if (!closedOrders || Date.now() - this.lastClosedLook < this.detector.timing.sweepMs) return;
    const since = this.lastClosedLook - CLOSED_LOOKBACK_MS;
    this.lastClosedLook = Date.now();
    for (const orderId of await closedOrders.closedSince(since)) {
      const watcher = this.watchers.get(orderId);
      if (watcher && !watcher.closed) void watcher.close();
    }
  }
}
