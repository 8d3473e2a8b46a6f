/**
 * What a caller sees of an error (Yoga's masking, on HTTP, SSE and graphql-ws alike): a dependency that is down is
 * said so (TEMPORARILY_UNAVAILABLE), an error the schema or the feed built with a code keeps it (ORDER_UNAVAILABLE
 * carries its cause inside, which Yoga's own masking would turn into "Unexpected error."), anything else is
 * masked, never a message or stack of ours.
 */
import { GraphQLError } from 'graphql';
import { maskError } from 'graphql-yoga';
import { TEMPORARILY_UNAVAILABLE, TemporarilyUnavailableError } from '../common/outcomes';

export function maskUnexpectedErrors(error: unknown, message: string): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof TemporarilyUnavailableError) {
    const located = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(original.publicMessage, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: { code: TEMPORARILY_UNAVAILABLE },
    });
  }
  if (
    error instanceof GraphQLError &&
    typeof error.extensions?.code === 'string' &&
    !error.extensions?.unexpected
  ) {
    return error;
  }
  return maskError(error, message, false);
}
