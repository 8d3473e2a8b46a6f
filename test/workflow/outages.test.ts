/**
 * Outages of our own infrastructure on the time-skipping test server: activities fail as if the database were
 * unreachable for an hour or two of (skipped) time, then work again. The order waits through it instead of failing
 * INTERNAL (a regular activity on the server's retries, a local one on workflow timers), an undo waits through it
 * instead of escalating, and the payment provider's own transient errors still end the charge after 3 attempts.
 */
import { WorkflowUpdateStage } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ORDER_ACTIONS } from '../../common/actions';
import type { OrderActivities } from '../../worker/activities/contract';
import { readLedger, stockShelf } from '../support/ledger';
import { type OrderHandle, useSagaHarness } from '../support/saga-harness';
import { startTimeSkippingServer } from '../support/temporal';

const HOUR = 3_600_000;

/** What mysql2 throws when nothing listens on the database's port. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), {
    code: 'ECONNREFUSED',
    errno: -111,
    syscall: 'connect',
  });
}

interface Outage {
  activities: ReadonlySet<string>;
  lastsMs: number;
  /** Server time of the first attempt that met the outage. */
  from?: number;
}

/** Outages by order: the named activities of that order fail for `lastsMs` of server time from their first call. */
class Outages {
  private readonly byOrder = new Map<string, Outage>();
  private readonly calls = new Map<string, number>();

  /** `serverTime`: the test server's clock, which it skips (a local activity's own timestamps are the worker's). */
  constructor(private readonly serverTime: () => Promise<number>) {}

  plan(orderId: string, activities: (keyof OrderActivities)[], lastsMs: number): void {
    this.byOrder.set(orderId, { activities: new Set(activities), lastsMs });
  }

  callsOf(orderId: string, activity: keyof OrderActivities): number {
    return this.calls.get(`${orderId}/${activity}`) ?? 0;
  }

  wrap(activities: OrderActivities): OrderActivities {
    const wrapped: Record<string, unknown> = {};
    for (const [name, activity] of Object.entries(activities)) {
      wrapped[name] = async (...args: unknown[]) => {
        const orderId = orderIdOf(args[0]);
        this.calls.set(`${orderId}/${name}`, this.callsOf(orderId, name as keyof OrderActivities) + 1);
        const outage = this.byOrder.get(orderId);
        if (outage?.activities.has(name)) {
          const now = await this.serverTime();
          outage.from ??= now;
          if (now - outage.from < outage.lastsMs) throw connectionRefused();
        }
        return (activity as (...args: unknown[]) => Promise<unknown>)(...args);
      };
    }
    return wrapped as unknown as OrderActivities;
  }
}

/** Every activity names its order first, as an id or inside its request. */
function orderIdOf(first: unknown): string {
  if (typeof first === 'string') return first;
  return String((first as { orderId?: unknown } | undefined)?.orderId);
}

const outages = new Outages(() => saga.env().currentTimeMs());
const saga = useSagaHarness(
  'order-outages-test',
  startTimeSkippingServer,
  { returnWindowMs: 60_000 },
  (activities) => outages.wrap(activities),
);

/** Sends the payment without waiting for its answer: time is skipped only while the test awaits the result. */
async function payInBackground(handle: OrderHandle, paymentMethod: string): Promise<void> {
  await handle.startUpdate(ORDER_ACTIONS.pay.update, {
    args: [{ paymentMethod }],
    waitForStage: WorkflowUpdateStage.ACCEPTED,
  });
}

describe('an outage of our database', () => {
  it('an order whose charge meets an hour of database outage waits it out and completes, charged once', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await saga.placeAndAwaitPayment(shelf);
    outages.plan(handle.workflowId, ['chargePayment'], HOUR);
    await payInBackground(handle, 'tok_visa');

    const final = await handle.result();
    expect(final.failure).toBeNull();
    expect(final.escalations).toEqual([]);
    expect(final.timeline.map((entry) => entry.status)).toContain('COMPLETED');
    expect(outages.callsOf(handle.workflowId, 'chargePayment')).toBeGreaterThan(10);
    const charged = final.timeline.find((entry) => entry.message.startsWith('charged'));
    const charging = final.timeline.find((entry) => entry.status === 'CHARGING');
    expect(Date.parse(charged?.at ?? '') - Date.parse(charging?.at ?? '')).toBeGreaterThanOrEqual(HOUR);
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.charges).toEqual([{ amountCents: 7000, refundedCents: 0 }]);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 8, reserved: 0, sold: 2 });
    expect(ledger.notifications).toEqual(['ORDER_CONFIRMED']);
  });

  it('an order whose reservation (a local activity) meets an hour of database outage waits it out on workflow timers; unpaid, it is then released', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await saga.place(shelf);
    outages.plan(handle.workflowId, ['reserveStock'], HOUR);
    // Nobody pays: awaiting the result lets the server skip through the outage and then the payment timeout.
    const final = await handle.result();
    expect(final.failure?.code).toBe('PAYMENT_TIMEOUT');
    expect(final.escalations).toEqual([]);
    const reserving = final.timeline.find((entry) => entry.status === 'RESERVING');
    const reserved = final.timeline.find((entry) => entry.message.startsWith('reserved'));
    expect(Date.parse(reserved?.at ?? '') - Date.parse(reserving?.at ?? '')).toBeGreaterThanOrEqual(HOUR);
    expect(outages.callsOf(handle.workflowId, 'reserveStock')).toBeGreaterThan(10);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((event) => event.timerStartedEventAttributes).length).toBeGreaterThan(10);
    expect(final.reservation.status).toBe('RELEASED');
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('an undo that meets two hours of database outage waits it out instead of escalating, and releases the stock', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await saga.placeAndAwaitPayment(shelf);
    outages.plan(handle.workflowId, ['releaseStock'], 2 * HOUR);
    await payInBackground(handle, 'tok_chargeDeclined');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure?.code).toBe('PAYMENT_DECLINED');
    expect(final.escalations).toEqual([]);
    expect(final.reservation.status).toBe('RELEASED');
    expect(outages.callsOf(handle.workflowId, 'releaseStock')).toBeGreaterThan(10);
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.stock[shelf.lamp]).toEqual({ available: 5, reserved: 0, sold: 0 });
  });

  it('an undo still failing after its six hours of retries is escalated to staff, not dropped', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await saga.placeAndAwaitPayment(shelf);
    outages.plan(handle.workflowId, ['releaseStock'], 7 * HOUR);
    await payInBackground(handle, 'tok_chargeDeclined');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.escalations).toEqual([
      expect.stringMatching(/^undo:reserve failed for order .*escalated to staff$/),
    ]);
    const escalated = final.timeline.find((entry) => entry.step === 'escalate');
    const compensating = final.timeline.find((entry) => entry.status === 'COMPENSATING');
    // Temporal stops one backoff short of the six hours, when the next attempt could not fit in them.
    expect(Date.parse(escalated?.at ?? '') - Date.parse(compensating?.at ?? '')).toBeGreaterThan(5.9 * HOUR);
  });
});

describe("the payment provider's transient errors", () => {
  it('end the charge after 3 attempts with PAYMENT_UNAVAILABLE, and the stock is released', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await saga.placeAndAwaitPayment(shelf);
    await payInBackground(handle, 'tok_providerDown');

    const final = await handle.result();
    expect(final.status).toBe('FAILED');
    expect(final.failure?.code).toBe('PAYMENT_UNAVAILABLE');
    expect(final.escalations).toEqual([]);
    expect(outages.callsOf(handle.workflowId, 'chargePayment')).toBe(3);
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.charges).toEqual([]);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });

  it('tok_flaky still pays on its third attempt after an outage of our own took the first ones', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await saga.placeAndAwaitPayment(shelf);
    outages.plan(handle.workflowId, ['chargePayment'], 60_000);
    await payInBackground(handle, 'tok_flaky');

    const final = await handle.result();
    expect(final.failure).toBeNull();
    expect(final.payment.status).toBe('CHARGED');
  });
});
