/**
 * The HTTP side: graphql-yoga on node:http (queries, mutations, SSE subscriptions, GraphiQL served locally)
 * and graphql-ws on the same port and path, both through Yoga's plugins (errors masked the same way),
 * plus /healthz and whatever extra handler the caller adds (the demo page).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { schema } from '../schema';
import type { GraphQLContext } from '../schema/context';
import { maskUnexpectedErrors } from './error-masking';

export const GRAPHQL_PATH = '/graphql';
/** graphql-ws pings this often, so a dead connection shows within seconds. */
const KEEP_ALIVE_MS = 12_000;

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

export interface ApiOptions {
  context: GraphQLContext;
  health: () => Promise<Record<string, boolean>>;
  extraHandler?: RequestHandler;
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

export function createApi(options: ApiOptions): Api {
  const yoga = createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: () => options.context,
    renderGraphiQL,
    graphiql: { title: 'Orderflow', subscriptionsProtocol: 'WS' },
    landingPage: false,
    // Never the original error or its stack, whatever NODE_ENV says.
    maskedErrors: { isDev: false, maskError: maskUnexpectedErrors },
    logging: 'warn',
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
    void yoga(request, response);
  });

  const sockets = new WebSocketServer({ server, path: GRAPHQL_PATH });
  const wsServer = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (context, _id, params) => {
        const enveloped = yoga.getEnveloped({ ...context, req: context.extra.request, params });
        let document: DocumentNode;
        try {
          document = enveloped.parse(params.query);
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
