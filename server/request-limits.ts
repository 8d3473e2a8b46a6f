/**
 * Limits on a request before it runs, from the limits table: the body's size (before Yoga reads it), the
 * document's tokens (while parsing, so deep nesting never reaches the parser's recursion), depth, aliases,
 * directives and cost (as validation rules, GraphQL Armor's), and a parse cache that cannot grow without bound.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { DocumentNode, GraphQLError, ValidationContext } from 'graphql';
import { LRUCache } from 'lru-cache';
import { REQUEST_LIMITS } from '../common/limits';

/** Reported like any validation error (code GRAPHQL_VALIDATION_FAILED) rather than thrown out of validation. */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** Depth, aliases, directives, cost and tokens; field suggestions stay, as the schema is public (GraphiQL). */
export function documentLimits() {
  return EnvelopArmorPlugin({
    maxTokens: { n: REQUEST_LIMITS.tokens },
    maxDepth: { n: REQUEST_LIMITS.depth, flattenFragments: true, ...asValidationError },
    maxAliases: { n: REQUEST_LIMITS.aliases, ...asValidationError },
    maxDirectives: { n: REQUEST_LIMITS.directives, ...asValidationError },
    costLimit: { maxCost: REQUEST_LIMITS.cost, ...asValidationError },
    blockFieldSuggestion: { enabled: false },
  });
}

/** Documents and parse errors keyed by their text: at most `cachedDocuments` of each, each at most a body. */
export function parseCache() {
  return {
    documentCache: new LRUCache<string, DocumentNode>({ max: REQUEST_LIMITS.cachedDocuments }),
    errorCache: new LRUCache<string, object>({ max: REQUEST_LIMITS.cachedDocuments }),
  };
}

function refuse(response: ServerResponse, status: number, message: string): true {
  // Closing the connection spares reading a body we will not use.
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ message }] }));
  return true;
}

/**
 * Answers 411 or 413 and returns true when a request's body may be over the limit: Node never reads past a
 * declared Content-Length, so a body without one (chunked) is refused rather than counted.
 */
export function refuseLargeBody(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  const declared = request.headers['content-length'];
  if (declared === undefined) return refuse(response, 411, 'a request body needs a Content-Length');
  if (Number(declared) > REQUEST_LIMITS.bodyBytes) {
    return refuse(response, 413, `a request body may hold at most ${REQUEST_LIMITS.bodyBytes} bytes`);
  }
  return false;
}
