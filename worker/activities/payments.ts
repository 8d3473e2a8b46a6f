/**
 * Payments behind a gateway interface. The simulated gateway keeps its ledger in the `payment` table and,
 * like a real provider, answers a repeated idempotency key with the first answer instead of charging again.
 */
import { LockMode, type MikroORM } from '@mikro-orm/core';
import { Context } from '@temporalio/activity';
import { effectKey } from '../../common/ids';
import { PaymentSchema } from '../../database/entities';
import { BusinessError } from './business-error';
import { claimKey, runOnce } from './idempotency';
import { shortHash } from './short-hash';

export interface ChargeRequest {
  idempotencyKey: string;
  orderId: string;
  amountCents: number;
  paymentMethod: string;
}

export interface PaymentGateway {
  /** Returns the charge id; throws BusinessError PAYMENT_DECLINED when the card is refused. */
  charge(request: ChargeRequest): Promise<string>;
  /**
   * Refunds what is left of the order's charge; returns the cents refunded, 0 when nothing was charged. Nothing
   * charged means the charge's key is voided: a charge attempt that lands later charges nothing.
   */
  refund(idempotencyKey: string, chargeKey: string, orderId: string): Promise<number>;
}

export const FLAKY_FAILURES = 2;

/** Temporal's attempt number of the running activity (1 on the first try). */
export function currentActivityAttempt(): number {
  return Context.current().info.attempt;
}

/**
 * Test cards: `tok_visa` pays, `tok_chargeDeclined` is declined, `tok_flaky` fails with a transient error on
 * its first two attempts, then pays; anything else is declined.
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
    if (paymentMethod === 'tok_flaky') {
      const attempt = this.attempt();
      if (attempt <= FLAKY_FAILURES) {
        throw new Error(
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
    const chargeId = await runOnce(this.orm, idempotencyKey, async (em) => {
      const id = `ch_${shortHash(idempotencyKey, 16).toLowerCase()}`;
      em.create(PaymentSchema, {
        idempotencyKey,
        orderId,
        chargeId: id,
        method: paymentMethod,
        amountCents,
        refundedCents: 0,
        status: 'CHARGED',
        createdAt: new Date(),
      });
      return id;
    });
    await this.answerSlowly();
    return chargeId;
  }

  async refund(idempotencyKey: string, chargeKey: string, orderId: string): Promise<number> {
    const refunded = await runOnce(this.orm, idempotencyKey, async (em) => {
      if (await claimKey(em, chargeKey)) return 0;
      // A locking read: it sees a charge committed after this transaction began.
      const payment = await em.findOne(
        PaymentSchema,
        { orderId, status: 'CHARGED' },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!payment) return 0;
      const cents = payment.amountCents - payment.refundedCents;
      payment.refundedCents = payment.amountCents;
      payment.status = 'REFUNDED';
      return cents;
    });
    await this.answerSlowly();
    return refunded;
  }

  private async answerSlowly(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}

export function paymentActivities(gateway: PaymentGateway) {
  return {
    chargePayment(orderId: string, amountCents: number, paymentMethod: string): Promise<string> {
      return gateway.charge({
        idempotencyKey: effectKey(orderId, 'charge'),
        orderId,
        amountCents,
        paymentMethod,
      });
    },
    refundPayment(orderId: string): Promise<number> {
      return gateway.refund(effectKey(orderId, 'refund'), effectKey(orderId, 'charge'), orderId);
    },
  };
}
