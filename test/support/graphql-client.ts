/** Talks to the API the way a client does: HTTP POST, graphql-ws over WebSocket, and SSE. */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

/** The Authorization header of a bearer token, or none. */
export function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...bearer(token) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

export interface StatusEvent {
  version: number;
  status: string;
  step: string | null;
  message: string;
  at: string;
}

export const ORDER_STATUS_SUBSCRIPTION = `subscription Track($id: ID!, $since: Int) {
  orderStatus(id: $id, sinceVersion: $since) { orderId version status step message at order { id status version } }
}`;

/** Collects every event of one subscription over graphql-ws until the server completes it. */
export function collectOverWebSocket(
  url: string,
  variables: Record<string, unknown>,
  onEvent: (event: StatusEvent) => void = () => undefined,
  token?: string,
): { done: Promise<StatusEvent[]>; close(): void } {
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
  });
  const events: StatusEvent[] = [];
  let unsubscribe: () => void = () => undefined;
  const done = new Promise<StatusEvent[]>((resolve, reject) => {
    unsubscribe = client.subscribe<{ orderStatus: StatusEvent }>(
      { query: ORDER_STATUS_SUBSCRIPTION, variables },
      {
        next: (message) => {
          if (message.errors) reject(new Error(JSON.stringify(message.errors)));
          if (message.data) {
            events.push(message.data.orderStatus);
            onEvent(message.data.orderStatus);
          }
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(events),
      },
    );
  }).finally(() => void client.dispose());
  return {
    done,
    close: () => {
      unsubscribe();
      void client.dispose();
    },
  };
}

/** Collects every event of one subscription over Yoga's server-sent events until the stream ends. */
export async function collectOverSse(
  url: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<StatusEvent[]> {
  return (await sseMessages(url, variables, token)).flatMap((message) =>
    message.data ? [message.data.orderStatus] : [],
  );
}

export interface SseMessage {
  data?: { orderStatus: StatusEvent };
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Every message of one order-status subscription over SSE, errors included, until the stream ends. */
export async function sseMessages(
  url: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<SseMessage[]> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(token) },
    body: JSON.stringify({ query: ORDER_STATUS_SUBSCRIPTION, variables }),
  });
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 'data: '.length)
    .map((line) => JSON.parse(line.slice('data: '.length)) as SseMessage);
}
