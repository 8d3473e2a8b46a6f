/**
 * What this process hears of its own writes of order rows through one ORM. In the embedded default (API and worker
 * in one process) a mutation's wait for the row ends the moment its workflow's write commits, not at the next poll,
 * and the status feed takes the state written instead of asking the workflow for it. A process that does not write
 * the rows itself (an API apart from its workers) polls and reads the workflow as before.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { OrderState } from '../common/order';

/** A row just committed: its version, and the whole state when the write held one (orders since the read model). */
export interface RowWrite {
  orderId: string;
  version: number;
  state: OrderState | null;
}

type Wake = () => void;
type Listener = (write: RowWrite) => void;

const waiting = new WeakMap<MikroORM, Map<string, Set<Wake>>>();
const listening = new WeakMap<MikroORM, Set<Listener>>();

/** The order's row was just written through `orm`: its waiters read it again now, and every listener hears of it. */
export function rowWritten(orm: MikroORM, write: RowWrite): void {
  for (const wake of waiting.get(orm)?.get(write.orderId) ?? []) wake();
  for (const listener of listening.get(orm) ?? []) listener(write);
}

/** Hears of every order row written through `orm` from now on; the function returned stops it. */
export function onRowWritten(orm: MikroORM, listener: Listener): () => void {
  const listeners = listening.get(orm) ?? new Set<Listener>();
  listening.set(orm, listeners);
  listeners.add(listener);
  return () => listeners.delete(listener);
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
