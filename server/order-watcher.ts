/**
 * Watches one order for all of its subscribers: reads the workflow when told the order moved (a mutation sent
 * here, the worker in this process, the change detector), hands on a state only when its version moved, and
 * retries a failed read by itself. It never polls: an idle order costs nothing.
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
  private readAgain = false;
  private retryMs = RETRY_MS.first;
  private retry: NodeJS.Timeout | undefined;
  /** Why the last read failed, while it has not succeeded since. */
  private lastError: unknown;

  constructor(
    private readonly orderId: string,
    private readonly source: OrderSource,
    private readonly onChange: (state: OrderState) => void,
  ) {}

  /** The version this watcher holds; -1 before its first read. */
  get version(): number {
    return this.state?.version ?? -1;
  }

  /** The latest state, reading it first when none has been read yet; throws when that read failed. */
  async current(): Promise<OrderState | null> {
    if (!this.state) {
      await this.refresh();
      if (!this.state && this.lastError !== undefined) throw this.lastError;
    }
    return this.state;
  }

  /** One read at a time; asked during a read, one more right after it (the change may have come after it began). */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) {
      this.readAgain = true;
      return this.inFlight;
    }
    clearTimeout(this.retry);
    this.inFlight = this.read().finally(() => {
      this.inFlight = undefined;
      if (this.readAgain) {
        this.readAgain = false;
        void this.refresh();
      }
    });
    return this.inFlight;
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
    if (state && state.version > this.version) {
      this.state = state;
      if (state.ended) this.closed = true;
      this.onChange(state);
    }
  }
}
