/**
 * A dependency that is down (Temporal, the database) is no bug, and the caller should hear so. Every mutation whose
 * payload carries `userErrors` answers it there, as TEMPORARILY_UNAVAILABLE (safe to send again with the same
 * requestId), with a null entity: set here once for all of them, so a new mutation needs nothing. Queries, which
 * have no payload, get a GraphQL error with the same code from the server's error masking.
 */
import { defaultFieldResolver, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import { TemporarilyUnavailableError, unavailableError } from '../common/outcomes';

export function answerUnavailableInPayloads(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const payload = getNamedType(field.type);
    if (!isObjectType(payload) || !payload.getFields().userErrors) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = async (...args) => {
      try {
        return await resolve(...args);
      } catch (error) {
        if (!(error instanceof TemporarilyUnavailableError)) throw error;
        return { userErrors: [unavailableError(error)] };
      }
    };
  }
  return schema;
}
