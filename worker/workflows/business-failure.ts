import { ApplicationFailure } from '@temporalio/workflow';
import type { FailureCode } from '../../common/order';

const BUSINESS_CODES: ReadonlySet<string> = new Set<FailureCode>([
  'INVALID_ORDER',
  'UNKNOWN_SKU',
  'DISCONTINUED',
  'ORDER_LIMIT_EXCEEDED',
  'OUT_OF_STOCK',
  'PAYMENT_DECLINED',
  'PAYMENT_UNAVAILABLE',
  'UNDELIVERABLE',
]);

export interface BusinessFailure {
  code: FailureCode;
  message: string;
}

/** Finds the business failure an activity or child workflow raised, through the failures wrapping it. */
export function findBusinessFailure(error: unknown): BusinessFailure | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type && BUSINESS_CODES.has(cause.type)) {
      return { code: cause.type as FailureCode, message: cause.message };
    }
  }
  return undefined;
}
