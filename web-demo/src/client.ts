/** The typed client: generated documents over fetch for queries and mutations, graphql-ws for the live feed. */
import { createClient } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql';

interface GraphQLBody<R> {
  data?: R;
  errors?: { message: string }[];
}

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as GraphQLBody<R>;
  if (body.errors?.length || !body.data) {
    throw new Error(body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`);
  }
  return body.data;
}

const connectionListeners = new Set<(connected: boolean) => void>();

/**
 * Reconnects for ever and resubscribes by itself; subscribers drop events at versions they already have,
 * so a resubscription after a restart of the server misses nothing and shows nothing twice.
 */
const socket = createClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  keepAlive: 10_000,
  on: {
    connected: () => {
      for (const listener of connectionListeners) listener(true);
    },
    closed: () => {
      for (const listener of connectionListeners) listener(false);
    },
  },
});

export function onConnectionChange(listener: (connected: boolean) => void): void {
  connectionListeners.add(listener);
}

export interface Subscriber<R> {
  next(data: R): void;
  error(error: Error): void;
  complete(): void;
}

/** Returns the function that ends the subscription. */
export function subscribe<R, V extends Record<string, unknown>>(
  document: TypedDocumentString<R, V>,
  variables: V,
  subscriber: Subscriber<R>,
): () => void {
  return socket.subscribe<R>(
    { query: document.toString(), variables },
    {
      next: (message) => {
        if (message.errors?.length)
          subscriber.error(new Error(message.errors.map((e) => e.message).join('; ')));
        else if (message.data) subscriber.next(message.data);
      },
      error: (error) => subscriber.error(error instanceof Error ? error : new Error('connection lost')),
      complete: () => subscriber.complete(),
    },
  );
}
