/** The typed client: generated documents over fetch for queries and mutations, graphql-ws for the live feed. */
import { createClient } from 'graphql-ws';
import type { TypedDocumentString } from '../generated/graphql';

interface GraphQLBody<R> {
  data?: R;
  errors?: { message: string }[];
}

let token: string | null = null;

/** Sends `Bearer <token>` from now on, and reconnects the socket so its subscriptions run as the new caller. */
export function useToken(next: string): void {
  token = next;
  openSocket?.close(4000, 'signed in again');
}

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ ...operation(document), variables }),
  });
  const body = (await response.json().catch(() => ({}))) as GraphQLBody<R>;
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  if (!body.data) throw new Error(`the server answered HTTP ${response.status} without data`);
  return body.data;
}

/**
 * A generated document goes by its persisted id (the server knows the text; with PERSISTED_ONLY it runs
 * nothing else). graphql-ws requires a `query` string, so it is sent empty beside the id.
 */
function operation<R, V>(document: TypedDocumentString<R, V>): { query: string; documentId?: string } {
  const id = document.__meta__?.hash;
  return typeof id === 'string' ? { query: '', documentId: id } : { query: document.toString() };
}

/** A fresh id per user action, sent as `requestId` so a retried mutation is not applied twice. */
export function requestId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';
const connectionListeners = new Set<(state: ConnectionState) => void>();
const announce = (state: ConnectionState) => {
  for (const listener of connectionListeners) listener(state);
};

export function onConnectionChange(listener: (state: ConnectionState) => void): void {
  connectionListeners.add(listener);
}

const PING_EVERY_MS = 5_000;
const PONG_WITHIN_MS = 3_000;
let pongTimer: ReturnType<typeof setTimeout> | undefined;
let openSocket: WebSocket | undefined;

/**
 * One socket, opened at once and reopened for ever. A ping that gets no pong within a few seconds closes
 * it, so a dead connection shows (and heals) in seconds rather than when the OS notices.
 */
const socket = createClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
  lazy: false,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  keepAlive: PING_EVERY_MS,
  // Read at every (re)connect, so a reconnect sends the token of whoever is signed in now.
  connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
  on: {
    connecting: (isRetry) => announce(isRetry ? 'reconnecting' : 'connecting'),
    // Kept from the moment the socket opens, before the server acknowledges it: a sign-in in between must
    // still reconnect it, or the connection would go on as whoever it was opened for.
    opened: (socket) => {
      openSocket = socket as WebSocket;
    },
    connected: () => announce('live'),
    closed: () => {
      clearTimeout(pongTimer);
      announce('reconnecting');
    },
    ping: (received) => {
      if (received) return;
      pongTimer = setTimeout(() => openSocket?.close(4408, 'pong timeout'), PONG_WITHIN_MS);
    },
    pong: (received) => {
      if (received) clearTimeout(pongTimer);
    },
  },
});

export interface Subscriber<R> {
  next(data: R): void;
  error(error: Error): void;
  complete(): void;
}

/**
 * Subscribes, and after every event lets `resume` update the variables. graphql-ws sends this same payload
 * object again when it resubscribes after a reconnect, so the server is asked for what came after the
 * last event seen (e.g. `sinceVersion`). Returns the function that ends the subscription.
 */
export function subscribe<R, V extends Record<string, unknown>>(
  document: TypedDocumentString<R, V>,
  variables: V,
  subscriber: Subscriber<R>,
  resume: (data: R, variables: V) => V = (_data, same) => same,
): () => void {
  const payload = { ...operation(document), variables };
  return socket.subscribe<R>(payload, {
    next: (message) => {
      if (message.errors?.length) {
        subscriber.error(new Error(message.errors.map((error) => error.message).join('; ')));
      } else if (message.data) {
        payload.variables = resume(message.data, payload.variables);
        subscriber.next(message.data);
      }
    },
    error: (error) =>
      subscriber.error(error instanceof Error ? error : new Error('the connection was refused')),
    complete: () => subscriber.complete(),
  });
}
