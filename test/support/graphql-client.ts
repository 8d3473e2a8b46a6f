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
  /** graphql-ws's own reconnects send the same variables again; 0 leaves resuming to the caller. */
  retryAttempts = 5,
): { done: Promise<StatusEvent[]>; close(): void } {
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts,
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

/**
 * Follows one order's stream over graphql-ws to its end as the demo page does: when the connection is lost (or the
 * API answers ORDER_UNAVAILABLE) it subscribes again, with the last version it saw as `sinceVersion`. The first
 * subscription asks from version 0, so the events should be every version once, in order.
 */
export function followResuming(
  url: string,
  orderId: string,
  timeoutMs = 90_000,
): { events: StatusEvent[]; done: Promise<{ events: StatusEvent[]; resubscriptions: number }> } {
  const events: StatusEvent[] = [];
  const done = (async () => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (let resubscriptions = 0; Date.now() < deadline; resubscriptions += 1) {
      const since = events.at(-1)?.version ?? 0;
      const attempt = collectOverWebSocket(
        url,
        { id: orderId, since },
        (event) => events.push(event),
        undefined,
        0,
      );
      try {
        await attempt.done;
        return { events, resubscriptions };
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error(
      `order ${orderId}: the stream did not end within ${timeoutMs} ms; last error: ${lastError}`,
    );
  })();
  return { events, done };
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
