/**
 * The memory baseline of the feed benchmark: graphql-ws and ws on node:http, nothing else (no Yoga, no feed, no
 * Temporal). Its `orderStatus` subscription answers one event and then holds the subscription open, doing nothing,
 * until the client leaves; the same subscriber client holds as many subscriptions on it as on the API.
 *   tsx bench/bare-graphql-ws.ts [port=0]   prints `bare graphql-ws up on ws://127.0.0.1:<port>/graphql`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GraphQLID,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

interface StatusEvent {
  orderId: string;
  version: number;
  status: string;
  at: string;
}

/** One value, then nothing until `return()`: a subscription that stays open and costs only what it holds. */
function oneThenSilence<T>(value: T): AsyncIterableIterator<T> {
  let sent = false;
  let end: () => void = () => undefined;
  const ended = new Promise<IteratorResult<T>>((resolve) => {
    end = () => resolve({ done: true, value: undefined });
  });
  return {
    next() {
      if (sent) return ended;
      sent = true;
      return Promise.resolve({ done: false, value });
    },
    return() {
      end();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const required = (type: GraphQLScalarType) => ({ type: new GraphQLNonNull(type) });

const StatusEventType = new GraphQLObjectType<StatusEvent>({
  name: 'OrderStatusEvent',
  fields: {
    orderId: required(GraphQLID),
    version: required(GraphQLInt),
    status: required(GraphQLString),
    at: required(GraphQLString),
  },
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { hello: { type: GraphQLString, resolve: () => 'world' } },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      orderStatus: {
        type: new GraphQLNonNull(StatusEventType),
        args: { id: required(GraphQLID) },
        subscribe: (_root, args: { id: string }) =>
          oneThenSilence<StatusEvent>({
            orderId: args.id,
            version: 1,
            status: 'AWAITING_PAYMENT',
            at: new Date().toISOString(),
          }),
        resolve: (event: StatusEvent) => event,
      },
    },
  }),
});

const server = createServer();
useServer({ schema }, new WebSocketServer({ server, path: '/graphql' }));
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare graphql-ws up on ws://127.0.0.1:${port}/graphql`);
});
