/**
 * The live status feed: an in-process pubsub fed by workflow queries. One watcher per watched order,
 * shared by its subscribers and stopped with the last of them; each subscriber gets every timeline entry
 * once, in version order, and keeps only the newest state while it is slow (memory stays bounded).
 */
import { GraphQLError } from 'graphql';
import { createPubSub, Repeater } from 'graphql-yoga';
import { SUBSCRIPTION_LIMITS } from '../common/limits';
import { isFinal, type OrderState, type OrderStatusEvent, type TimelineEntry } from '../common/order';
import { type OrderSource, OrderWatcher, type PollTiming } from './order-watcher';

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

  constructor(
    private readonly source: OrderSource,
    private readonly timing: PollTiming = { fastMs: 100, slowMs: 2_000 },
    /** Each watched order polls Temporal: past this many, a subscription to one more is refused. */
    private readonly maxWatchedOrders: number = SUBSCRIPTION_LIMITS.watchedOrders,
  ) {}

  /** How many orders are being watched now (tests use it to prove watchers stop). */
  activeWatchers(): number {
    return this.watchers.size;
  }

  nudge(orderId: string): void {
    this.watchers.get(orderId)?.nudge();
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
        let state = await watcher.current().catch((error: unknown) => {
          throw unreadableOrder(orderId, error);
        });
        if (!state || !canSee(state)) throw unknownOrder(orderId);
        let sent = sinceVersion ?? state.version - 1;
        while (!stopped) {
          for (const entry of state.timeline) {
            if (entry.version > sent && !stopped) {
              await push(eventOf(entry, state));
              sent = entry.version;
            }
          }
          if (isFinal(state.status) || watcher.closed) break;
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
   * Resolves with the order once `done(state)` holds, or with the latest state seen after `timeoutMs`
   * (null when none could be read: the caller decides what that means).
   */
  async waitFor(
    orderId: string,
    done: (state: OrderState) => boolean,
    timeoutMs: number,
  ): Promise<OrderState | null> {
    const stream = this.stream(orderId);
    let latest: OrderState | null = null;
    const timer = setTimeout(() => void stream.return(), timeoutMs);
    try {
      for await (const event of stream) {
        latest = event.order;
        if (done(latest)) break;
      }
    } catch {
      // Unknown or unreadable order: `latest` says what was seen.
    } finally {
      clearTimeout(timer);
    }
    return latest;
  }

  close(): void {
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
      watcher = new OrderWatcher(orderId, this.source, this.timing, (state) =>
        this.pubsub.publish('order:status', orderId, state),
      );
      this.watchers.set(orderId, watcher);
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
}
