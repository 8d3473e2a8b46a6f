/**
 * Tells the status feed which watched orders moved, from the order table the workflows write at every change,
 * so an idle watched order costs no Temporal query at all. One indexed read per tick per process, whatever the
 * number of watched orders; only the orders whose row is ahead of what their watcher holds are then queried.
 *
 * Why no change is missed:
 * - Every row carries `changedAt` from the database's clock (one clock: workers' and servers' clocks never enter).
 * - The watermark is the newest `changedAt` read so far, and each tick reads every row changed at or after the
 *   watermark less `overlapMs`. Take a write stamped s that commits at c. The first read that runs after c starts
 *   from a watermark set by reads that ran before c: a stamp of a row committed before c, so ≤ c. It reads from
 *   there less overlapMs, which is ≤ s whenever c − s ≤ overlapMs, so it sees the write (or a later one of the
 *   same row). The stamp is taken by the UPDATE itself, after the row lock is held, so c − s is the time of one
 *   statement and its commit.
 * - Re-reading a row is harmless: a watcher is refreshed only when the row's version is ahead of its own.
 * - Whatever breaks the bound (a commit stalled past the overlap, the database's clock stepped back) is caught
 *   by the sweep, which compares the version of every watched order with the table every `sweepMs`.
 * - A watcher's first read is its own workflow query, so changes before it joined need no watermark.
 */
import type { ChangeCursor, OrderChange } from '../database/order-changes';

export interface OrderChangeSource {
  latestChange(): Promise<number>;
  changedSince(from: ChangeCursor, limit: number): Promise<OrderChange[]>;
  versionsOf(orderIds: readonly string[]): Promise<Map<string, number>>;
}

export interface WatchedOrders {
  /** The version the watcher of this order holds; undefined when the order is not watched, or not yet started. */
  versionOf(orderId: string): number | undefined;
  watchedOrderIds(): string[];
  /** The table holds `version` of this watched order, newer than its watcher's: read its workflow. */
  moved(orderId: string, version: number): void;
}

export interface ChangeDetection {
  tickMs: number;
  overlapMs: number;
  sweepMs: number;
  pageSize: number;
}

export const CHANGE_DETECTION: ChangeDetection = {
  tickMs: 100,
  overlapMs: 2_000,
  sweepMs: 10_000,
  pageSize: 1_000,
};

export class ChangeDetector {
  private watermark: number | null = null;
  private lastSweep = 0;

  constructor(
    private readonly changes: OrderChangeSource,
    private readonly watched: WatchedOrders,
    readonly timing: ChangeDetection = CHANGE_DETECTION,
  ) {}

  /**
   * Starts over, as after an idle spell with nothing watched: the next tick takes the newest change as its
   * watermark and sweeps, so orders watched from then on are compared with the table at once.
   */
  restart(): void {
    this.watermark = null;
    this.lastSweep = 0;
  }

  /** Reads what changed since the last tick (with the overlap) and, when it is time, sweeps every watched order. */
  async tick(): Promise<void> {
    this.watermark ??= await this.changes.latestChange();
    let from: ChangeCursor = { changedAt: this.watermark - this.timing.overlapMs, orderId: '' };
    for (;;) {
      const page = await this.changes.changedSince(from, this.timing.pageSize);
      for (const change of page) this.consider(change.orderId, change.version);
      const last = page.at(-1);
      if (last) {
        this.watermark = Math.max(this.watermark, last.changedAt);
        from = last;
      }
      if (page.length < this.timing.pageSize) break;
    }
    if (Date.now() - this.lastSweep >= this.timing.sweepMs) await this.sweep();
  }

  /** Compares every watched order with the table, a page of ids at a time. */
  async sweep(): Promise<void> {
    this.lastSweep = Date.now();
    const ids = this.watched.watchedOrderIds();
    for (let start = 0; start < ids.length; start += this.timing.pageSize) {
      const versions = await this.changes.versionsOf(ids.slice(start, start + this.timing.pageSize));
      for (const [orderId, version] of versions) this.consider(orderId, version);
    }
  }

  private consider(orderId: string, version: number): void {
    const held = this.watched.versionOf(orderId);
    if (held !== undefined && version > held) this.watched.moved(orderId, version);
  }
}
