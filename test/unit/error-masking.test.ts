/** What a caller sees of an error: a dependency down says so, our coded errors keep their code, the rest is masked. */
import { GraphQLError, locatedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { TemporarilyUnavailableError } from '../../common/outcomes';
import { maskUnexpectedErrors } from '../../server/error-masking';
import { unreadableOrder } from '../../server/status-feed';

const located = (error: Error) => locatedError(error, undefined, ['order']);

describe('error masking', () => {
  it('a dependency down is TEMPORARILY_UNAVAILABLE, naming the dependency and nothing of its address', () => {
    const cause = new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.7:7233');
    const error = located(
      new TemporarilyUnavailableError('Temporal', `query failed: ${cause.message}`, { cause }),
    );
    const shown = maskUnexpectedErrors(error, 'Unexpected error.') as GraphQLError;
    expect(shown.toJSON()).toEqual({
      message: 'Temporal is not answering right now; send the same request again shortly',
      path: ['order'],
      extensions: { code: 'TEMPORARILY_UNAVAILABLE' },
    });
  });

  it('an error built with a code keeps it and its message, not its cause (ORDER_UNAVAILABLE)', () => {
    const error = unreadableOrder('o1', new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.7:7233'));
    const shown = maskUnexpectedErrors(error, 'Unexpected error.') as GraphQLError;
    expect(shown.extensions.code).toBe('ORDER_UNAVAILABLE');
    expect(JSON.stringify(shown.toJSON())).not.toContain('ECONNREFUSED');
  });

  it('anything else is "Unexpected error."', () => {
    for (const error of [new Error('boom at db-1'), located(new TypeError('x is undefined'))]) {
      const shown = maskUnexpectedErrors(error, 'Unexpected error.') as GraphQLError;
      expect(shown.message).toBe('Unexpected error.');
      expect(shown.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('a GraphQLError thrown as is passes unchanged', () => {
    const error = new GraphQLError('first: first must be 1 to 100', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const thrown = located(error);
    expect(maskUnexpectedErrors(thrown, 'Unexpected error.')).toBe(thrown);
  });
});
