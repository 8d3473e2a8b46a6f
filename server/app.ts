/**
 * The HTTP side: graphql-yoga on node:http (queries, mutations, SSE subscriptions, GraphiQL served locally)
 * and graphql-ws on the same port and path, both through Yoga's plugins (errors masked the same way),
 * plus /healthz and whatever extra handler the caller adds (the demo page).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Caller } from '../common/access';
import { REQUEST_LIMITS } from '../common/limits';
import { schema } from '../schema';
import type { GraphQLContext } from '../schema/context';
import type { Authenticate } from './authentication';
import { compiledQueries } from './compiled-queries';
import { maskUnexpectedErrors } from './error-masking';
import { corsFor, isAllowedOrigin } from './origins';
import type { PersistedDocuments } from './persisted-documents';
import { documentLimits, parseCache, refuseLargeBody } from './request-limits';
import { tooManySubscriptions } from './status-feed';

export const GRAPHQL_PATH = '/graphql';
/** graphql-ws pings this often, so a dead connection shows within seconds. */
const KEEP_ALIVE_MS = 12_000;

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

/** The first handler that takes the request answers it. */
export function firstOf(...handlers: RequestHandler[]): RequestHandler {
  return (request, response) => handlers.some((handler) => handler(request, response));
}

export interface ApiOptions {
  /** The services every request's context holds; the caller is added per request from its token. */
  services: Omit<GraphQLContext, 'caller'>;
  authenticate: Authenticate;
  /** Origins besides the API's own that browsers may call it from. */
  corsOrigins: readonly string[];
  persistedDocuments: PersistedDocuments;
  health: () => Promise<Record<string, boolean>>;
  extraHandler?: RequestHandler;
  maxSubscriptionsPerConnection: number;
}

export interface Api {
  server: Server;
  close(): Promise<void>;
}

type Execution = Promise<ExecutionResult | AsyncIterable<ExecutionResult>>;

/** graphql-ws runs each operation with the execute/subscribe of Yoga's plugin chain, carried in rootValue. */
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => Execution;
  subscribe: (args: ExecutionArgs) => Execution;
}

/** A request's caller: from graphql-ws's `connection_init` when it came that way, else from its header. */
interface CallerContext extends YogaInitialContext {
  caller?: Caller;
}

export function createApi(options: ApiOptions): Api {
  const callerOf = async (authorization: string | null | undefined): Promise<Caller> =>
    options.authenticate(authorization).catch((error: unknown) => {
      throw new GraphQLError((error as Error).message, {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    });
  const yoga = createYoga<CallerContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: async ({ request, caller }): Promise<GraphQLContext> => ({
      ...options.services,
      caller: caller ?? (await callerOf(request.headers.get('authorization'))),
    }),
    cors: (request) => corsFor(request.headers.get('origin'), options.corsOrigins),
    // A browser sends form, multipart and plain-text POSTs (and GETs) cross-site without a preflight: those
    // need a header only a script allowed by CORS can set, so another site cannot drive the API.
    plugins: [
      useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }),
      options.persistedDocuments.plugin(),
      documentLimits(),
      compiledQueries(),
    ],
    renderGraphiQL,
    graphiql: { title: 'Orderflow', subscriptionsProtocol: 'WS' },
    landingPage: false,
    // Never the original error or its stack, whatever NODE_ENV says.
    maskedErrors: { isDev: false, maskError: maskUnexpectedErrors },
    logging: 'warn',
    parserAndValidationCache: parseCache(),
    // The server below refuses a body without a Content-Length or over the limit before Yoga sees it, and Node
    // never reads past a declared length: Yoga's own limit would pipe every body through a stream for nothing.
    maxRequestBodySize: false,
  });

  const server = createServer((request, response) => {
    if (request.url === '/healthz') {
      void options
        .health()
        .catch(() => ({ checks: false }))
        .then((checks) => {
          const healthy = Object.values(checks).every(Boolean);
          response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ ok: healthy, ...checks }));
        });
      return;
    }
    if (options.extraHandler?.(request, response)) return;
    if (refuseLargeBody(request, response)) return;
    void yoga(request, response);
  });

  const sockets = new WebSocketServer({
    server,
    path: GRAPHQL_PATH,
    maxPayload: REQUEST_LIMITS.webSocketMessageBytes,
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) =>
      isAllowedOrigin(origin, req.headers.host, options.corsOrigins),
  });
  const wsServer = useServer<Record<string, unknown> | undefined, { caller?: Caller }>(
    {
      // A bad token closes the socket with 4403; no token is an anonymous connection.
      onConnect: async (context) => {
        const authorization = context.connectionParams?.authorization;
        try {
          context.extra.caller = await options.authenticate(
            typeof authorization === 'string' ? authorization : null,
          );
          return true;
        } catch {
          return false;
        }
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (context, _id, params) => {
        // The one being subscribed is already counted.
        if (Object.keys(context.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [
            tooManySubscriptions(
              `a connection may hold ${options.maxSubscriptionsPerConnection} subscriptions; open another`,
            ),
          ];
        }
        const enveloped = yoga.getEnveloped({
          ...context,
          req: context.extra.request,
          params,
          caller: context.extra.caller,
        });
        const query = options.persistedDocuments.queryOf(params);
        if (query instanceof GraphQLError) return [query];
        let document: DocumentNode;
        try {
          document = enveloped.parse(query);
        } catch (error) {
          // A syntax error is the client's: answer it as one, rather than close the socket as a server fault.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    sockets,
    KEEP_ALIVE_MS,
  );

  return {
    server,
    async close() {
      await wsServer.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
