/** Which failed calls to Temporal the API answers as TEMPORARILY_UNAVAILABLE, and which stay unexpected. */
import { describe, expect, it } from 'vitest';
import { TemporarilyUnavailableError } from '../../common/outcomes';
import { OrderCallError, orderCallError } from '../../server/workflow-reads';

/** How the client reports a failed query: a ServiceError whose cause carries the gRPC status. */
function failedQuery(code: number, details: string): Error {
  return new Error('Failed to query Workflow', {
    cause: Object.assign(new Error(`${code} ${details}`), { code }),
  });
}

describe('a failed call to Temporal', () => {
  it.each([
    [14, 'UNAVAILABLE: connection refused'],
    [4, 'DEADLINE_EXCEEDED: query timed out before a worker could process it'],
    [9, 'FAILED_PRECONDITION: Unable to query workflow due to Workflow Task in failed state'],
  ])('with status %i (%s) is temporarily unavailable, and says nothing of the cause', (code, details) => {
    const error = orderCallError('order-1', 'query getOrder', failedQuery(code, details));
    expect(error).toBeInstanceOf(TemporarilyUnavailableError);
    expect((error as TemporarilyUnavailableError).publicMessage).not.toContain(details);
  });

  it('with any other status stays an unexpected error naming the order and the call', () => {
    const error = orderCallError('order-1', 'query getOrder', failedQuery(3, 'INVALID_ARGUMENT'));
    expect(error).toBeInstanceOf(OrderCallError);
    expect(error.message).toContain('order order-1: query getOrder failed');
  });
});
