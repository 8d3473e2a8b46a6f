/**
 * PERSISTED_ONLY=true: only the demo's generated operations run, sent by their `documentId` (the sha256 ids
 * GraphQL Code Generator wrote to web-demo/generated/persisted-documents.json), on HTTP and graphql-ws alike.
 */
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PERSISTED_DOCUMENTS_FILE } from '../../server/persisted-documents';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
const documents = Object.entries(
  JSON.parse(readFileSync(PERSISTED_DOCUMENTS_FILE, 'utf8')) as Record<string, string>,
);
const idOf = (operation: string) => documents.find(([, text]) => text.includes(operation))?.[0] ?? '';

beforeAll(async () => {
  stack = await startStack('persisted-only', { PERSISTED_ONLY: 'true' });
});
afterAll(() => stack?.stop());

async function send(body: object) {
  const response = await fetch(`${stack.api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

function subscribeOverWs(payload: {
  query: string;
  documentId?: string;
  variables: Record<string, unknown>;
}) {
  const client = createClient({
    url: `${stack.api.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
  });
  return new Promise<unknown>((resolve) => {
    client.subscribe(payload, {
      next: (message) => resolve(message),
      error: (error) => resolve(error),
      complete: () => resolve('complete'),
    });
  }).finally(() => client.dispose());
}

describe('persisted documents only', () => {
  it('runs a generated operation by its id over HTTP, and nothing sent as text or under an unknown id', async () => {
    const products = await send({ documentId: idOf('query Products') });
    expect(products.errors).toBeUndefined();
    expect(products.data).toHaveProperty('products');
    const text = await send({ query: '{ products { sku } }' });
    expect(text.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await send({ documentId: 'sha256:0000' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('the same over graphql-ws: the generated subscription by id runs, a text one is refused', async () => {
    const byId = await subscribeOverWs({
      query: '',
      documentId: idOf('subscription OrderStatus'),
      variables: { id: 'no-such-order' },
    });
    // It ran: the order does not exist, which only a running subscription can say.
    expect(JSON.stringify(byId)).toContain('UNKNOWN_ORDER');
    const text = await subscribeOverWs({
      query: 'subscription { orderStatus(id: "x") { version } }',
      variables: {},
    });
    expect(JSON.stringify(text)).toContain('PERSISTED_QUERY_ONLY');
  });
});
