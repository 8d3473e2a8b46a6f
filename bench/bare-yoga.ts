/** The baseline server: graphql-yoga answering `{ hello }`, nothing else (../shared/baselines/p4). */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
  logging: false,
});
createServer(yoga).listen(Number(process.argv[2] ?? 4555), '127.0.0.1', () => console.log('bare yoga up'));
