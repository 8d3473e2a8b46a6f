/**
 * Payments behind a gateway interface. The simulated gateway keeps its ledger in the `payment` table and,
 * like a real provider, answers a repeated idempotency key with the first answer instead of charging again.
 */
import type { MikroORM } from '@mikro-orm/core';
import { Context } from '@temporalio/activity';
import { effectKey } from '../../common/ids';
import { storedNow } from '../../database/clock';
import { forUpdate } from '../../database/plain-sql';
import { BusinessError } from './business-error';
import { claimKey, runOnce } from './idempotency';
import { shortHash } from './short-hash';

export interface ChargeRequest {
  idempotencyKey: string;
  orderId: string;
  amountCents: number;
  paymentMethod: string;
}

/**
 * The provider failed for a reason that may pass by itself (a timeout, a 503): worth another attempt or two, not
 * the hours our own outages are retried for.
 */
export class ProviderTransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderTransientError';
  }
}

export interface PaymentGateway {
  /**
   * Returns the charge id; throws BusinessError PAYMENT_DECLINED when the card is refused, ProviderTransientError
   * when the provider failed for now. Any other error (our database) is ours, retried as long as an outage lasts.
   */
  charge(request: ChargeRequest): Promise<string>;
  /**
   * Refunds what is left of the order's charge; returns the cents refunded, 0 when nothing was charged. Nothing
   * charged means the charge's key is voided: a charge attempt that lands later charges nothing.
   */
  refund(idempotencyKey: string, chargeKey: string, orderId: string): Promise<number>;
}

export const FLAKY_FAILURES = 2;
/** The provider's transient errors get this many attempts of the charge (exponential backoff between them). */
export const PROVIDER_ATTEMPTS = 3;

/** Temporal's attempt number of the running activity (1 on the first try). */
export function currentActivityAttempt(): number {
  return Context.current().info.attempt;
}

/**
 * Test cards: `tok_visa` pays, `tok_chargeDeclined` is declined, `tok_flaky` fails with a transient error on
 * its first two attempts, then pays, `tok_providerDown` fails with a transient error on every attempt; anything
 * else is declined.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  constructor(
    private readonly orm: MikroORM,
    /** How long the provider takes to answer after it has acted: lets tests lose a response on purpose. */
    private readonly latencyMs = 0,
    /** Temporal's attempt number makes `tok_flaky` deterministic across worker restarts. */
    private readonly attempt: () => number = currentActivityAttempt,
  ) {}

  async charge(request: ChargeRequest): Promise<string> {
    const { idempotencyKey, orderId, amountCents, paymentMethod } = request;
    if (paymentMethod === 'tok_flaky' || paymentMethod === 'tok_providerDown') {
      const attempt = this.attempt();
      if (paymentMethod === 'tok_providerDown' || attempt <= FLAKY_FAILURES) {
        throw new ProviderTransientError(
          `order ${orderId}: charge: payment provider timed out (attempt ${attempt}), try again`,
        );
      }
    } else if (paymentMethod !== 'tok_visa') {
      const why =
        paymentMethod === 'tok_chargeDeclined'
          ? 'the card was declined'
          : `unknown payment method "${paymentMethod}"`;
      throw new BusinessError('PAYMENT_DECLINED', `order ${orderId}: charge: payment declined: ${why}`);
    }
    const chargeId = await runOnce(this.orm, idempotencyKey, async (tx) => {
      const id = `ch_${shortHash(idempotencyKey, 16).toLowerCase()}`;
      await tx.write(
        tx.sql('payment').insert({
          idempotency_key: idempotencyKey,
          order_id: orderId,
          charge_id: id,
          method: paymentMethod,
          amount_cents: amountCents,
          refunded_cents: 0,
          status: 'CHARGED',
          created_at: storedNow(tx.orm),
        }),
      );
      return id;
    });
    await this.answerSlowly();
    return chargeId;
  }

  async refund(idempotencyKey: string, chargeKey: string, orderId: string): Promise<number> {
    const refunded = await runOnce(this.orm, idempotencyKey, async (tx) => {
      if (await claimKey(tx, chargeKey)) return 0;
      // A locking read: it sees a charge committed after this transaction began.
      const [payment] = await tx.rows<{ id: number; amount_cents: number; refunded_cents: number }>(
        forUpdate(
          tx,
          tx
            .sql('payment')
            .where({ order_id: orderId, status: 'CHARGED' })
            .first('id', 'amount_cents', 'refunded_cents'),
        ),
      );
      if (!payment) return 0;
      await tx.write(
        tx
          .sql('payment')
          .where({ id: payment.id })
          .update({ refunded_cents: payment.amount_cents, status: 'REFUNDED' }),
      );
      return Number(payment.amount_cents) - Number(payment.refunded_cents);
    });
    await this.answerSlowly();
    return refunded;
  }

  private async answerSlowly(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}

export function paymentActivities(gateway: PaymentGateway, attempt: () => number = currentActivityAttempt) {
  return {
    /**
     * Temporal retries the charge for hours (STEP_ACTIVITY_OPTIONS), so that an outage of our database does not
     * fail the order; the provider's transient errors end it on the PROVIDER_ATTEMPTS-th attempt instead, as a
     * business failure. Temporal's attempt number counts every attempt, ours too: the provider never gets more
     * than 3, fewer when our outage came first, and the count survives worker restarts.
     */
    async chargePayment(orderId: string, amountCents: number, paymentMethod: string): Promise<string> {
      try {
        return await gateway.charge({
          idempotencyKey: effectKey(orderId, 'charge'),
          orderId,
          amountCents,
          paymentMethod,
        });
      } catch (error) {
        if (!(error instanceof ProviderTransientError) || attempt() < PROVIDER_ATTEMPTS) throw error;
        throw new BusinessError(
          'PAYMENT_UNAVAILABLE',
          `${error.message.replace(/, try again$/, '')}; gave up after ${PROVIDER_ATTEMPTS} attempts`,
        );
      }
    },
    /** An undo: the provider's transient errors are retried for as long as ours, a refund must not be dropped. */
    refundPayment(orderId: string): Promise<number> {
      return gateway.refund(effectKey(orderId, 'refund'), effectKey(orderId, 'charge'), orderId);
    },
  };
}
