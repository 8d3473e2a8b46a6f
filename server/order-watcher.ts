/**
 * Watches one order for all of its subscribers: queries the workflow when nudged, else polls adaptively
 * (fast right after a change, slower while idle), hands on a state only when its version moved, and stops
 * for good once the workflow has closed.
 */
import type { OrderState } from '../common/order';

export interface OrderSource {
  /** The order's current state, or null when there is no such order. */
  read(orderId: string): Promise<OrderState | null>;
  /** Resolves when the order's workflow has closed; abandoned when `signal` aborts. */
  waitUntilClosed(orderId: string, signal: AbortSignal): Promise<void>;
}

const CLOSING_READS = 5;

export interface PollTiming {
  fastMs: number;
  slowMs: number;
}

export class OrderWatcher {
  subscribers = 0;
  state: OrderState | null = null;
  closed = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private pollAgain = false;
  private idlePolls = 0;
  /** Why the last read failed, while it has not succeeded since. */
  private lastError: unknown;
  private readonly abort = new AbortController();

  constructor(
    private readonly orderId: string,
    private readonly source: OrderSource,
    private readonly timing: PollTiming,
    private readonly onChange: (state: OrderState) => void,
  ) {
    source.waitUntilClosed(orderId, this.abort.signal).then(
      () => this.markClosed(),
      () => undefined,
    );
  }

  /** The latest state, reading it first when none has been read yet; throws when that read failed. */
  async current(): Promise<OrderState | null> {
    if (!this.state) {
      await this.poll();
      if (!this.state && this.lastError !== undefined) throw this.lastError;
    }
    return this.state;
  }

  /** Something changed (a mutation sent here, or the worker in this process said so): read now. */
  nudge(): void {
    if (this.stopped) return;
    this.idlePolls = 0;
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  /** One read at a time; a nudge during a read asks for one more right after it. */
  private poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) {
      this.pollAgain = true;
      return this.inFlight;
    }
    clearTimeout(this.timer);
    this.inFlight = this.read().finally(() => {
      this.inFlight = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        void this.poll();
      } else {
        this.schedule();
      }
    });
    return this.inFlight;
  }

  private async read(): Promise<void> {
    let state: OrderState | null;
    try {
      state = await this.source.read(this.orderId);
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error;
      this.idlePolls += 1; // Temporal unreachable for a moment: back off, the next poll retries.
      return;
    }
    if (state && state.version > (this.state?.version ?? -1)) {
      this.state = state;
      this.idlePolls = 0;
      this.onChange(state);
    } else {
      this.idlePolls += 1;
    }
  }

  private schedule(): void {
    if (this.stopped || this.closed) return;
    const delay = Math.min(this.timing.fastMs * 2 ** this.idlePolls, this.timing.slowMs);
    this.timer = setTimeout(() => void this.poll(), delay);
  }

  /**
   * A read in flight when the workflow closed may have started before its last change, so the final state
   * comes from a read that starts after the close (retried a few times if Temporal does not answer).
   */
  private async markClosed(): Promise<void> {
    for (let attempt = 0; attempt < CLOSING_READS && !this.stopped; attempt += 1) {
      while (this.inFlight) await this.inFlight;
      await this.poll();
      if (this.lastError === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, this.timing.fastMs));
    }
    if (this.stopped) return;
    this.closed = true;
    clearTimeout(this.timer);
    if (this.state) this.onChange(this.state);
  }
}
