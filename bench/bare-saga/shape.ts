/**
 * The shape of an order's happy path as Temporal sees it: the rows the bare saga runs, in order. The table itself is
 * at the top of bench/saga-throughput.ts, beside what it is measured against.
 */
import type { OrderStatus } from '../../common/order';
import type { OrderActivities } from '../../worker/activities/contract';

export type ActivityName = keyof OrderActivities;

/** A local activity runs in the workflow's worker; a regular one goes to its role's task queue. */
export type Execution = 'local' | 'regular';

export type ShapeStep =
  /** The order's status or timeline moves (its version goes up by one) and is announced through the status sink. */
  | { record: OrderStatus }
  | { activity: ActivityName; as: Execution }
  /** One child workflow per warehouse, each running these rows. */
  | { child: ShapeStep[] }
  /** `payment`: the pay update, with the payment timeout's timer until it comes; `returnWindow`: its timer. */
  | { wait: 'payment' | 'returnWindow' };

/** The same rows with every activity local. */
export function allLocal(shape: readonly ShapeStep[]): ShapeStep[] {
  return shape.map((step) => {
    if ('child' in step) return { child: allLocal(step.child) };
    if ('as' in step) return { ...step, as: 'local' };
    return step;
  });
}

/** The order's version once the first row recording `status` has run. */
export function versionOf(shape: readonly ShapeStep[], status: OrderStatus): number {
  const records = shape.flatMap((step) => ('record' in step ? [step.record] : []));
  const index = records.indexOf(status);
  if (index < 0) throw new Error(`the saga shape never records ${status}`);
  return index + 1;
}
