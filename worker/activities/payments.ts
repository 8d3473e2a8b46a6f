/**
 * Payments behind a gateway interface. The simulated gateway keeps its ledger in the `payment` table and,
 * like a real provider, answers a repeated idempotency key with the first charge instead of charging again.
 */
import type { MikroORM } from '@mikro-orm/core';
import { PaymentSchema } from '../db/entities';
import { runOnce } from '../db/idempotency';
import { BusinessError } from './business-error';

export interface ChargeRequest {
  idempotencyKey: string;
  orderId: string;
  amountCents: number;
  paymentMethod: string;
}

export interface PaymentGateway {
  /** Returns the charge id; throws BusinessError PAYMENT_DECLINED when the card is refused. */
  charge(request: ChargeRequest): Promise<string>;
  /** Refunds what is left of the order's charge; returns the cents refunded, 0 when nothing was charged. */
  refund(idempotencyKey: string, orderId: string): Promise<number>;
}

/** Test cards: `tok_visa` pays, `tok_chargeDeclined` is declined, `tok_flaky` fails twice per key, then pays. */
export class SimulatedPaymentGateway implements PaymentGateway {
  private readonly flakyAttempts = new Map<string, number>();

  constructor(
    private readonly orm: MikroORM,
    /** How long the provider takes to answer after it has acted: lets tests lose a response on purpose. */
    private readonly latencyMs = 0,
  ) {}

  async charge(request: ChargeRequest): Promise<string> {
    const { idempotencyKey, orderId, amountCents, paymentMethod } = request;
    if (paymentMethod === 'tok_flaky') {
      const attempt = (this.flakyAttempts.get(idempotencyKey) ?? 0) + 1;
      this.flakyAttempts.set(idempotencyKey, attempt);
      if (attempt <= 2) throw new Error(`order ${orderId}: payment provider timed out (attempt ${attempt})`);
    } else if (paymentMethod !== 'tok_visa') {
      const why =
        paymentMethod === 'tok_chargeDeclined'
          ? 'the card was declined'
          : `unknown payment method "${paymentMethod}"`;
      throw new BusinessError('PAYMENT_DECLINED', `order ${orderId}: payment declined: ${why}`);
    }
    const em = this.orm.em.fork();
    const existing = await em.findOne(PaymentSchema, { idempotencyKey });
    const chargeId = existing?.chargeId ?? `ch_${idempotencyKey.replace(/[^A-Za-z0-9]/g, '').slice(-24)}`;
    if (!existing) {
      em.create(PaymentSchema, {
        idempotencyKey,
        orderId,
        chargeId,
        method: paymentMethod,
        amountCents,
        refundedCents: 0,
        status: 'CHARGED',
        createdAt: new Date(),
      });
      await em.flush();
    }
    await this.answerSlowly();
    return chargeId;
  }

  async refund(idempotencyKey: string, orderId: string): Promise<number> {
    const refunded = await runOnce(this.orm, idempotencyKey, async (em) => {
      const payment = await em.findOne(PaymentSchema, { orderId, status: 'CHARGED' });
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
      return gateway.charge({ idempotencyKey: `${orderId}:charge`, orderId, amountCents, paymentMethod });
    },
    refundPayment(orderId: string): Promise<number> {
      return gateway.refund(`${orderId}:refund`, orderId);
    },
  };
}
