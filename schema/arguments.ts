/**
 * Query and subscription arguments within the limits table: out of bounds is a GraphQL error with
 * `extensions.code` BAD_USER_INPUT naming the argument (queries have no payload for user errors).
 */
import { GraphQLError } from 'graphql';
import { NUMBER_LIMITS, TEXT_LIMITS } from '../common/limits';
import { rangeProblem, textProblem } from '../common/validation';

export function badArgument(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** Throws for the first argument with a problem. */
function refuse(problems: Record<string, string | null>): void {
  for (const [argument, problem] of Object.entries(problems)) {
    if (problem) throw badArgument(argument, problem);
  }
}

export function checkOrderId(id: string | number): string {
  const orderId = String(id);
  refuse({ id: textProblem('id', orderId, TEXT_LIMITS.orderId) });
  return orderId;
}

export function checkOrderListArguments(args: {
  customerId?: string | null;
  first: number;
  after?: string | null;
}): void {
  refuse({
    customerId: textProblem('customerId', args.customerId, TEXT_LIMITS.customerId, true),
    first: rangeProblem('first', args.first, NUMBER_LIMITS.pageSize),
    after: textProblem('after', args.after, TEXT_LIMITS.cursor, true),
  });
}

export function checkSinceVersion(sinceVersion: number | null | undefined): void {
  if (sinceVersion === null || sinceVersion === undefined) return;
  refuse({ sinceVersion: rangeProblem('sinceVersion', sinceVersion, NUMBER_LIMITS.sinceVersion) });
}
