/** The simulated payment gateway's test cards, run as activities would be (MockActivityEnvironment for the attempt number). */
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { useActivitiesOnTestDatabase } from '../support/database';

const suite = useActivitiesOnTestDatabase();

let orders = 0;
const newOrderId = () => `pay-${process.pid}-${++orders}`;

function chargeOnAttempt(attempt: number, orderId: string, paymentMethod: string): Promise<string> {
  return new MockActivityEnvironment({ attempt }).run(
    suite.activities().chargePayment,
    orderId,
    4200,
    paymentMethod,
  );
}

async function ledger(orderId: string) {
  return (await suite
    .db()
    .orm.em.getConnection()
    .execute('select amount_cents, refunded_cents, status from payment where order_id = ?', [orderId])) as {
    amount_cents: number;
    refunded_cents: number;
    status: string;
  }[];
}

describe('simulated payment gateway', () => {
  it('tok_visa is charged once with a charge id', async () => {
    const orderId = newOrderId();
    await expect(chargeOnAttempt(1, orderId, 'tok_visa')).resolves.toMatch(/^ch_[0-9a-f]{16}$/);
    expect(await ledger(orderId)).toEqual([{ amount_cents: 4200, refunded_cents: 0, status: 'CHARGED' }]);
  });

  it('tok_chargeDeclined is declined without retry and charges nothing', async () => {
    const orderId = newOrderId();
    await expect(chargeOnAttempt(1, orderId, 'tok_chargeDeclined')).rejects.toMatchObject({
      type: 'PAYMENT_DECLINED',
      nonRetryable: true,
      message: expect.stringContaining(`order ${orderId}: charge`),
    });
    expect(await ledger(orderId)).toEqual([]);
  });

  it('an unknown payment method is declined with a message naming it', async () => {
    await expect(chargeOnAttempt(1, newOrderId(), 'tok_bogus')).rejects.toMatchObject({
      type: 'PAYMENT_DECLINED',
      nonRetryable: true,
      message: expect.stringContaining('unknown payment method "tok_bogus"'),
    });
  });

  it('tok_flaky fails with a retryable error on attempts 1 and 2 and is charged once on attempt 3', async () => {
    const orderId = newOrderId();
    for (const attempt of [1, 2]) {
      const failure = await chargeOnAttempt(attempt, orderId, 'tok_flaky').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toHaveProperty('nonRetryable', true);
      expect((failure as Error).message).toContain(`timed out (attempt ${attempt})`);
    }
    expect(await ledger(orderId)).toEqual([]);
    const chargeId = await chargeOnAttempt(3, orderId, 'tok_flaky');
    await expect(chargeOnAttempt(4, orderId, 'tok_flaky')).resolves.toBe(chargeId);
    expect(await ledger(orderId)).toHaveLength(1);
  });

  it('tok_providerDown is retryable on attempts 1 and 2, then fails PAYMENT_UNAVAILABLE for good, charging nothing', async () => {
    const orderId = newOrderId();
    for (const attempt of [1, 2]) {
      const failure = await chargeOnAttempt(attempt, orderId, 'tok_providerDown').catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toHaveProperty('nonRetryable', true);
    }
    await expect(chargeOnAttempt(3, orderId, 'tok_providerDown')).rejects.toMatchObject({
      type: 'PAYMENT_UNAVAILABLE',
      nonRetryable: true,
      message: expect.stringContaining('gave up after 3 attempts'),
    });
    expect(await ledger(orderId)).toEqual([]);
  });

  it('a refund gives back the whole charge once and marks it refunded', async () => {
    const orderId = newOrderId();
    await chargeOnAttempt(1, orderId, 'tok_visa');
    await expect(suite.activities().refundPayment(orderId)).resolves.toBe(4200);
    expect(await ledger(orderId)).toEqual([{ amount_cents: 4200, refunded_cents: 4200, status: 'REFUNDED' }]);
  });

  it('a refund of an order that was never charged refunds nothing', async () => {
    await expect(suite.activities().refundPayment(newOrderId())).resolves.toBe(0);
  });

  it('a charge that lands after its refund (a timed-out attempt) charges nothing', async () => {
    const orderId = newOrderId();
    await expect(suite.activities().refundPayment(orderId)).resolves.toBe(0);
    await chargeOnAttempt(1, orderId, 'tok_visa');
    expect(await ledger(orderId)).toEqual([]);
  });

  it('a charge racing its refund ends refunded in full or never charged, never charged and kept', async () => {
    const orderIds = Array.from({ length: 10 }, newOrderId);
    await Promise.all(
      orderIds.map((orderId) =>
        Promise.all([chargeOnAttempt(1, orderId, 'tok_visa'), suite.activities().refundPayment(orderId)]),
      ),
    );
    for (const orderId of orderIds) {
      const rows = await ledger(orderId);
      expect(rows, orderId).toEqual(
        rows.length === 0 ? [] : [{ amount_cents: 4200, refunded_cents: 4200, status: 'REFUNDED' }],
      );
    }
  });
});
