/** What a caller is told: business outcomes as user errors with stable codes, beside the order they concern. */
import type { OrderState } from './order';
import type { InputProblem } from './validation';

export interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}

export interface OrderOutcome {
  order: OrderState | null;
  userErrors: UserError[];
}

/** The caller's input breaks a rule; `field` names the input at fault. Thrown where the rule is checked. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** Input problems as user errors, their fields under the mutation's argument (`input`). */
export function inputErrors(problems: readonly InputProblem[], argument = 'input'): UserError[] {
  return problems.map((problem) => ({
    field: [argument, ...problem.field],
    message: problem.message,
    code: 'INVALID_INPUT',
  }));
}

/**
 * A dependency (Temporal, the database) did not answer. The call that met it classifies it (server/, database/);
 * the API answers it as TEMPORARILY_UNAVAILABLE: what was asked may or may not have happened, and sending the
 * same request again (the same requestId, the same orderId) is safe. The message is for the logs.
 */
export class TemporarilyUnavailableError extends Error {
  constructor(
    readonly dependency: 'Temporal' | 'the database',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TemporarilyUnavailableError';
  }

  /** What a caller is told: which dependency, never its address or the driver's words. */
  get publicMessage(): string {
    return `${this.dependency} is not answering right now; send the same request again shortly`;
  }
}

export const TEMPORARILY_UNAVAILABLE = 'TEMPORARILY_UNAVAILABLE';

export function unavailableError(error: TemporarilyUnavailableError): UserError {
  return { field: null, code: TEMPORARILY_UNAVAILABLE, message: error.publicMessage };
}

export function unknownOrderError(orderId: string): UserError {
  return { field: ['input', 'orderId'], code: 'UNKNOWN_ORDER', message: `order ${orderId} does not exist` };
}

/** The action may still take effect: the same request id later answers it exactly once. */
export function pendingActionError(orderId: string, requestId: string, waitedMs: number): UserError {
  return {
    field: null,
    code: 'ACTION_PENDING',
    message:
      `order ${orderId} did not answer within ${waitedMs / 1000} s; ` +
      `send the request again with requestId "${requestId}" to get its outcome`,
  };
}

/** An order failing or failed says why, with the failure's own code (OUT_OF_STOCK, PAYMENT_DECLINED...). */
export function failureOf(order: OrderState): UserError[] {
  if (!order.failure || (order.status !== 'FAILED' && order.status !== 'COMPENSATING')) return [];
  return [{ field: null, code: order.failure.code, message: order.failure.message }];
}
