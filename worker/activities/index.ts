/** The activities the worker registers: each external system behind its module, business refusals made non-retryable. */
import type { MikroORM } from '@mikro-orm/core';
import { ApplicationFailure } from '@temporalio/activity';
import { BusinessError } from './business-error';
import type { OrderActivities } from './contract';
import { inventoryActivities } from './inventory';
import { notificationActivities } from './notifications';
import { orderSummaryActivities } from './order-summaries';
import { type PaymentGateway, paymentActivities, SimulatedPaymentGateway } from './payments';
import { type Carrier, SimulatedCarrier, shippingActivities } from './shipping';

export interface ActivityDependencies {
  orm: MikroORM;
  payments?: PaymentGateway;
  carrier?: Carrier;
  /** Latency of the simulated providers' answers (tests use it to lose a response on purpose). */
  simulatedLatencyMs?: number;
}

/** Retries cannot change a business refusal: Temporal must not retry it, and the workflow reads its code. */
function refusalsAsFailures<A extends object>(activities: A): A {
  const wrapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await (activity as (...args: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (error instanceof BusinessError) throw ApplicationFailure.nonRetryable(error.message, error.code);
        throw error;
      }
    };
  }
  return wrapped as A;
}

export function createActivities(deps: ActivityDependencies): OrderActivities {
  const payments = deps.payments ?? new SimulatedPaymentGateway(deps.orm, deps.simulatedLatencyMs);
  const carrier = deps.carrier ?? new SimulatedCarrier(deps.orm);
  return refusalsAsFailures({
    ...inventoryActivities(deps.orm),
    ...paymentActivities(payments),
    ...shippingActivities(carrier),
    ...notificationActivities(deps.orm),
    ...orderSummaryActivities(deps.orm),
  });
}
