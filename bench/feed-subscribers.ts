/**
 * The subscribers of the feed benchmark, in a process of their own so they never share an event loop with a server
 * they measure; bench/feed-scale.ts forks it and talks to it over IPC, one command at a time. It opens graphql-ws
 * connections (so many subscriptions each) to `orderStatus` of the orders it is given and records every event: per
 * order its first and last version, repeats and gaps (after the first event the versions must follow one another),
 * and the latency of every event after the first, from its timeline entry's `at` to its arrival here (one machine,
 * one clock). Asked to reconnect, it drops every connection and subscribes again with `sinceVersion`, the last version
 * each order's subscriber saw, as a client that lost its connection does; what it records runs on across the gap.
 */
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { inParallel } from './in-parallel';

export interface SubscriberTarget {
  /** ws://.../graphql */
  url: string;
  orderIds: string[];
}

export type SubscriberCommand =
  | {
      kind: 'open';
      id: number;
      targets: SubscriberTarget[];
      /** Sent as `connectionParams.authorization`. */
      authorization?: string;
      perConnection: number;
      /** Subscriptions waiting for their first event at once. */
      inFlight: number;
    }
  /**
   * Closes every connection and opens them again, each order's subscription resuming after the last version it saw;
   * answers once every connection is acknowledged and every subscription sent (none waits for an event: none is due).
   */
  | {
      kind: 'reconnect';
      id: number;
      targets: SubscriberTarget[];
      authorization?: string;
      perConnection: number;
    }
  /** Until every one of these orders' last event has this status, or the time is up. */
  | { kind: 'wait'; id: number; orderIds: string[]; status: string; timeoutMs: number }
  | { kind: 'report'; id: number; withOrders: boolean }
  /** Closes every connection and forgets what was recorded. */
  | { kind: 'close'; id: number };

export interface OrderRecord {
  /** Which target it was subscribed on. */
  target: number;
  first: number;
  last: number;
  /** The status of the last event. */
  status: string;
  events: number;
  /** Events at or below the last version seen: repeated, or out of order. */
  repeated: number;
  /** Versions skipped between two events. */
  gaps: number;
}

export interface SubscriberReport {
  subscriptions: number;
  events: number;
  errors: number;
  firstError?: string;
  /** Subscriptions the server ended while they were still wanted. */
  ended: number;
  /** Per order (when asked for). */
  orders?: Record<string, OrderRecord>;
  /** Per target, ms from each event's `at` to its arrival, for the events after each order's first. */
  latencies?: number[][];
}

export type SubscriberReply =
  | { kind: 'opened'; id: number; seconds: number }
  | { kind: 'reconnected'; id: number; seconds: number }
  | { kind: 'waited'; id: number; reached: number; pending: string[] }
  | { kind: 'report'; id: number; report: SubscriberReport }
  | { kind: 'closed'; id: number }
  | { kind: 'failed'; id: number; message: string };

const QUERY = 'subscription($id: ID!) { orderStatus(id: $id) { orderId version status at } }';
/** The bare server's stream takes no version: only the real API's subscribers reconnect. */
const RESUME = `subscription($id: ID!, $since: Int) {
  orderStatus(id: $id, sinceVersion: $since) { orderId version status at }
}`;

interface StatusEvent {
  orderId: string;
  version: number;
  status: string;
  at: string;
}

let clients: Client[] = [];
let orders = new Map<string, OrderRecord>();
let latencies: number[][] = [];
let events = 0;
let errors = 0;
let ended = 0;
let firstError: string | undefined;
let closing = false;

function fail(problem: string): void {
  errors += 1;
  firstError ??= problem;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return JSON.stringify(error);
  const close = error as { code?: number; reason?: string };
  return close.code === undefined ? String(error) : `connection closed (${close.code} ${close.reason ?? ''})`;
}

function record(target: number, orderId: string, event: StatusEvent, receivedAt: number): void {
  events += 1;
  if (event.orderId !== orderId) fail(`subscribed to ${orderId}, got an event of ${event.orderId}`);
  const order = orders.get(orderId);
  if (!order) {
    orders.set(orderId, {
      target,
      first: event.version,
      last: event.version,
      status: event.status,
      events: 1,
      repeated: 0,
      gaps: 0,
    });
    return;
  }
  order.events += 1;
  if (event.version <= order.last) {
    order.repeated += 1;
    return;
  }
  order.gaps += event.version - order.last - 1;
  order.last = event.version;
  order.status = event.status;
  const ofTarget = latencies[target] ?? [];
  latencies[target] = ofTarget;
  ofTarget.push(receivedAt - Date.parse(event.at));
}

/** Resolves at the subscription's first event (or its end): it is live from then on. */
function subscribe(client: Client, target: number, orderId: string, since?: number): Promise<void> {
  return new Promise((resolve) => {
    client.subscribe<{ orderStatus: StatusEvent }>(
      since === undefined
        ? { query: QUERY, variables: { id: orderId } }
        : { query: RESUME, variables: { id: orderId, since } },
      {
        next: (message) => {
          const receivedAt = Date.now();
          const event = message.data?.orderStatus;
          if (event && !message.errors) record(target, orderId, event, receivedAt);
          else fail(`order ${orderId}: ${JSON.stringify(message.errors)}`);
          resolve();
        },
        error: (error) => {
          fail(`order ${orderId}: ${describe(error)}`);
          resolve();
        },
        complete: () => {
          if (!closing && clients.includes(client)) ended += 1;
          resolve();
        },
      },
    );
  });
}

/** One connection per `perConnection` orders of each target; `each` is told of every order with its client. */
function connect(
  command: { targets: SubscriberTarget[]; authorization?: string; perConnection: number },
  each: (client: Client, target: number, orderId: string, rank: number) => void,
): Promise<void>[] {
  const acknowledged: Promise<void>[] = [];
  command.targets.forEach((target, index) => {
    for (let start = 0; start < target.orderIds.length; start += command.perConnection) {
      let connected: () => void = () => undefined;
      acknowledged.push(
        new Promise((resolve) => {
          connected = resolve;
        }),
      );
      const client = createClient({
        url: target.url,
        webSocketImpl: WebSocket,
        connectionParams: command.authorization ? { authorization: command.authorization } : undefined,
        retryAttempts: 0,
        on: {
          connected: () => connected(),
          closed: (event) => {
            connected();
            if (!closing && clients.includes(client)) fail(`connection to ${target.url}: ${describe(event)}`);
          },
        },
      });
      clients.push(client);
      target.orderIds.slice(start, start + command.perConnection).forEach((orderId, offset) => {
        each(client, index, orderId, start + offset);
      });
    }
  });
  return acknowledged;
}

async function open(command: Extract<SubscriberCommand, { kind: 'open' }>): Promise<number> {
  const started = performance.now();
  closing = false;
  const ranked: { rank: number; job: () => Promise<void> }[] = [];
  connect(command, (client, target, orderId, rank) => {
    ranked.push({ rank, job: () => subscribe(client, target, orderId) });
  });
  // The targets take turns, so every server gets its first reads from the start.
  ranked.sort((a, b) => a.rank - b.rank);
  await inParallel(ranked, command.inFlight, ({ job }) => job());
  return (performance.now() - started) / 1000;
}

async function reconnect(command: Extract<SubscriberCommand, { kind: 'reconnect' }>): Promise<number> {
  await dropConnections();
  closing = false;
  const started = performance.now();
  const acknowledged = connect(command, (client, target, orderId) => {
    void subscribe(client, target, orderId, orders.get(orderId)?.last);
  });
  await Promise.all(acknowledged);
  return (performance.now() - started) / 1000;
}

async function waitFor(command: Extract<SubscriberCommand, { kind: 'wait' }>) {
  const deadline = Date.now() + command.timeoutMs;
  const pending = () => command.orderIds.filter((orderId) => orders.get(orderId)?.status !== command.status);
  while (pending().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const left = pending();
  return { reached: command.orderIds.length - left.length, pending: left.slice(0, 10) };
}

function report(withOrders: boolean): SubscriberReport {
  return {
    subscriptions: orders.size,
    events,
    errors,
    firstError,
    ended,
    ...(withOrders ? { orders: Object.fromEntries(orders), latencies } : {}),
  };
}

/** Closes every connection; their subscriptions' ends are not counted as the server's. */
async function dropConnections(): Promise<void> {
  closing = true;
  await Promise.all(clients.map((client) => client.dispose()));
  clients = [];
}

async function close(): Promise<void> {
  await dropConnections();
  orders = new Map();
  latencies = [];
  events = 0;
  errors = 0;
  ended = 0;
  firstError = undefined;
}

async function answer(command: SubscriberCommand): Promise<SubscriberReply> {
  switch (command.kind) {
    case 'open':
      return { kind: 'opened', id: command.id, seconds: await open(command) };
    case 'reconnect':
      return { kind: 'reconnected', id: command.id, seconds: await reconnect(command) };
    case 'wait':
      return { kind: 'waited', id: command.id, ...(await waitFor(command)) };
    case 'report':
      return { kind: 'report', id: command.id, report: report(command.withOrders) };
    case 'close':
      await close();
      return { kind: 'closed', id: command.id };
  }
}

const send = process.send?.bind(process);
if (!send) throw new Error('bench/feed-subscribers.ts is forked by bench/feed-scale.ts and talks over IPC');
process.on('message', (command: SubscriberCommand) => {
  answer(command).then(
    (reply) => send(reply),
    (error: unknown) => send({ kind: 'failed', id: command.id, message: describe(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
