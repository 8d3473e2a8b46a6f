/**
 * The baseline the read benchmark divides by: graphql-yoga answering `{ hello }` and nothing else, on node:http as
 * the API is (../shared/baselines/p4/bare-yoga.mjs).
 *   tsx bench/bare-yoga.ts [port=4555]   (0 takes a free port) prints `bare yoga up on <url>`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
  logging: false,
});
const server = createServer(yoga);
server.listen(Number(process.argv[2] ?? 4555), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare yoga up on http://127.0.0.1:${port}/graphql`);
});
