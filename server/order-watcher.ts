/**
 * Watches one order for all of its subscribers: reads the workflow when told the order moved (a mutation sent
 * here, the change detector), takes the state the worker in this process has just written to the order table
 * instead, hands on a state only when its version moved, and retries a failed read by itself. It never polls: an
 * idle order costs nothing.
 */
import type { OrderState } from '../common/order';

export interface OrderSource {
  /** The order's current state, or null when there is no such order. */
  read(orderId: string): Promise<OrderState | null>;
}

/** A read that failed (Temporal down) is tried again after this, doubling up to the most. */
const RETRY_MS = { first: 500, most: 10_000 };

export class OrderWatcher {
  subscribers = 0;
  state: OrderState | null = null;
  /** No later version will come: the saga ended, or its workflow closed. */
  closed = false;
  private stopped = false;
  private inFlight: Promise<void> | undefined;
  /** The version a read asked for during the one in flight must reach (unknown: any change). */
  private wanted = -1;
  private retryMs = RETRY_MS.first;
  private retry: NodeJS.Timeout | undefined;
  /** Why the last read failed, while it has not succeeded since. */
  private lastError: unknown;
  /** The version the order table showed before any read (`knowShown`). */
  private shown = -1;

  constructor(
    private readonly orderId: string,
    private readonly source: OrderSource,
    private readonly onChange: (state: OrderState) => void,
  ) {}

  /** The version this watcher holds; before its first read, the one the table showed, else -1. */
  get version(): number {
    return this.state?.version ?? this.shown;
  }

  /**
   * Whether its stream has begun: it holds a state, a read is under way, or it knows the table's version. Until then
   * the change detector leaves it alone; its stream is deciding whether to read at all.
   */
  get started(): boolean {
    return this.state !== null || this.inFlight !== undefined || this.shown >= 0;
  }

  /**
   * The order table shows the order at `version`, and nothing has been read yet: the watcher reads the workflow once
   * the order passes it (the change detector or a nudge says when), not before.
   */
  knowShown(version: number): void {
    if (!this.state) this.shown = Math.max(this.shown, version);
  }

  /** The latest state, reading it first when none has been read yet; throws when that read failed. */
  async current(): Promise<OrderState | null> {
    if (!this.state) {
      await this.refresh();
      if (!this.state && this.lastError !== undefined) throw this.lastError;
    }
    return this.state;
  }

  /**
   * Reads the order unless it already holds `atLeast`. One read at a time: asked during a read, it reads once more
   * right after it unless that read brought `atLeast` (the change may have come after the read began). Without
   * `atLeast` (a mutation that answered without an order), it always reads once more.
   */
  refresh(atLeast = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.stopped || (atLeast <= this.version && this.state)) return this.inFlight ?? Promise.resolve();
    if (this.inFlight) {
      this.wanted = Math.max(this.wanted, atLeast);
      return this.inFlight;
    }
    clearTimeout(this.retry);
    this.inFlight = this.read().finally(() => {
      this.inFlight = undefined;
      const wanted = this.wanted;
      this.wanted = -1;
      if (wanted > this.version) void this.refresh(wanted);
    });
    return this.inFlight;
  }

  /**
   * A state this process has just committed to the order table (the worker beside it wrote it): taken when it is
   * newer than the one held, with no read of the workflow, which holds that state or a later one.
   */
  offer(state: OrderState): void {
    if (this.stopped) return;
    // The workflow's last state is taken whatever its version, as the order table takes it (order-snapshots.ts).
    if (state.version > this.version || (state.ended && !this.state?.ended)) this.take(state);
  }

  /** The workflow has closed: one last read that starts after the close, then the streams end. */
  async close(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    await this.refresh();
    if (this.stopped) return;
    this.closed = true;
    if (this.state) this.onChange(this.state);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private async read(): Promise<void> {
    let state: OrderState | null;
    try {
      state = await this.source.read(this.orderId);
      this.lastError = undefined;
      this.retryMs = RETRY_MS.first;
    } catch (error) {
      this.lastError = error;
      this.retry = setTimeout(() => void this.refresh(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MS.most);
      return;
    }
    if (state && state.version > (this.state?.version ?? -1)) this.take(state);
  }

  private take(state: OrderState): void {
    this.state = state;
    if (state.ended) this.closed = true;
    this.onChange(state);
  }
}
