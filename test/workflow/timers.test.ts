/**
 * The saga's durable timers on the time-skipping test server: a 30-minute payment timeout, a day-long
 * audit timeout and a 30-day return window pass in milliseconds, with the real activities on MariaDB.
 */
import { describe, expect, it } from 'vitest';
import { ORDER_ACTIONS } from '../../common/actions';
import { readLedger, stockShelf } from '../support/ledger';
import { useSagaHarness } from '../support/saga-harness';
import { startTimeSkippingServer } from '../support/temporal';

const saga = useSagaHarness('order-timers-test', startTimeSkippingServer);
const { place, placeAndAwaitPayment, reach, pay } = saga;

describe('the durable timers of an order', () => {
  it('cancels an unpaid order after the 30-minute payment timeout and releases its stock', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf);

    const final = await handle.result();
    expect(final.status).toBe('CANCELLED');
    expect(final.failure?.code).toBe('PAYMENT_TIMEOUT');
    const waited = final.timeline.find((entry) => entry.status === 'AWAITING_PAYMENT');
    const cancelled = final.timeline.at(-1);
    expect(Date.parse(cancelled?.at ?? '') - Date.parse(waited?.at ?? '')).toBeGreaterThanOrEqual(
      30 * 60_000,
    );

    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
    expect(ledger.charges).toEqual([]);
  });
  it('rejects an order whose audit never comes once the audit timeout passes, touching no stock', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await place(shelf, { settings: { auditThresholdCents: 5000 } });
    await reach(handle, 'AWAITING_AUDIT');

    const final = await handle.result();
    expect(final.status).toBe('REJECTED');
    expect(final.failure?.code).toBe('AUDIT_TIMEOUT');
    const ledger = await readLedger(saga.db().orm, handle.workflowId, shelf);
    expect(ledger.stock[shelf.mug]).toEqual({ available: 10, reserved: 0, sold: 0 });
  });
  it('refuses a return once the return window has closed', async () => {
    const shelf = await stockShelf(saga.db().orm);
    const handle = await placeAndAwaitPayment(shelf, {
      settings: { returnWindowMs: 30 * 86_400_000 },
    });
    await pay(handle, 'tok_visa');
    const final = await handle.result();
    expect(final.timeline.at(-1)?.message).toBe('return window closed');
    await expect(
      handle.executeUpdate(ORDER_ACTIONS.requestReturn.update, { args: [{ reason: 'late' }] }),
    ).rejects.toThrow();
  });
});
