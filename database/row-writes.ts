/**
 * Wakes a wait for an order's row when this process writes the row through the same ORM: in the embedded default
 * (API and worker in one process) a mutation answers the moment its workflow's write commits, not at the next poll.
 * A process that does not write the rows itself (an API apart from its workers) polls as before.
 */
import type { MikroORM } from '@mikro-orm/core';

type Wake = () => void;

const waiting = new WeakMap<MikroORM, Map<string, Set<Wake>>>();

/** The order's row was just written through `orm`: its waiters read it again now. */
export function rowWritten(orm: MikroORM, orderId: string): void {
  for (const wake of waiting.get(orm)?.get(orderId) ?? []) wake();
}

/** Waits `ms`, or less when the order's row is written through `orm` meanwhile. */
export function pauseUntilWritten(orm: MikroORM, orderId: string, ms: number): Promise<void> {
  const orders = waiting.get(orm) ?? new Map<string, Set<Wake>>();
  waiting.set(orm, orders);
  const wakes = orders.get(orderId) ?? new Set<Wake>();
  orders.set(orderId, wakes);
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      wakes.delete(wake);
      if (wakes.size === 0 && orders.get(orderId) === wakes) orders.delete(orderId);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    wakes.add(wake);
  });
}
