import type { FailureCode } from '../../common/order';

/** A refusal for a business reason (out of stock, declined...): retrying cannot change the answer. */
export class BusinessError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}
