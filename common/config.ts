/** Settings read once from the environment at start-up and passed down. */
import { parseDuration } from './duration';
import { NUMBER_LIMITS, type RangeLimit, SUBSCRIPTION_LIMITS } from './limits';
import type { OrderSettings } from './order';
import { type PayloadKeys, parsePayloadKeys } from './payload-codec';
import { parseWorkerRoles, type WorkerRole } from './task-queues';

export interface Config {
  port: number;
  /** A mysql:// URL, or unset for the embedded SQLite file. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  /** Unset means: start a local Temporal dev server (dev mode only). */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  taskQueue: string;
  /** The roles `npm run worker` takes on (all by default): run them in separate processes to scale them apart. */
  workerRoles: WorkerRole[];
  /** How long the simulated payment provider takes to answer; lets a test lose a response on purpose. */
  simulatedProviderLatencyMs: number;
  /** A workflow bundle built beforehand (`bundleWorkflowCode`): the worker starts without bundling, seconds sooner. */
  workflowBundlePath: string | undefined;
  /** PAYLOAD_KEY (encrypts) and PAYLOAD_OLD_KEYS (decrypt only); unset means payloads go to Temporal in clear. */
  payloadKeys: PayloadKeys | undefined;
  order: OrderSettings;
  auth: AuthSettings;
  /** Origins other than the API's own that browsers may call it from (HTTP CORS and the WebSocket Origin). */
  corsOrigins: string[];
  /** Only the persisted documents of `web-demo/generated/persisted-documents.json` may run. */
  persistedOnly: boolean;
  /** Past either cap a new subscription is refused with TOO_MANY_SUBSCRIPTIONS. */
  subscriptions: { perConnection: number; watchedOrders: number };
  worker: WorkerTuning;
}

/**
 * The worker's cache and slots. An order spends seconds moving and then waits (for payment up to 30 minutes, in its
 * return window 30 days); an evicted order replays its ~76 events in milliseconds when it moves again, so the cache
 * only needs the orders moving now, not every open one. See the README for a small and a large machine.
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  /** Workflow tasks at once; at most the cache size. */
  maxConcurrentWorkflowTasks: number;
  /** Activities at once, and local activities at once (each its own pool of this size). */
  maxConcurrentActivities: number;
}

/** How callers prove who they are: an HS256 secret or an identity provider's JWKS, or off on purpose. */
export interface AuthSettings {
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  /** AUTH_DISABLED=true: every caller may do everything (a trusted network only). */
  disabled: boolean;
}

type Env = Record<string, string | undefined>;

function integer(
  env: Env,
  name: string,
  fallback: number,
  range: RangeLimit = { min: 0, max: Number.MAX_SAFE_INTEGER },
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(`${name} must be a whole number from ${range.min} to ${range.max}, got "${raw}"`);
  }
  return value;
}

function duration(env: Env, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  try {
    return parseDuration(raw);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

function flag(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function readConfig(env: Env = process.env): Config {
  return {
    port: integer(env, 'PORT', 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    sqlitePath: env.SQLITE_PATH || '.data/orderflow.sqlite',
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TASK_QUEUE || 'orders',
    workerRoles: parseWorkerRoles(env.WORKER_ROLES ?? ''),
    simulatedProviderLatencyMs: integer(env, 'SIMULATED_PROVIDER_LATENCY_MS', 0),
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
    payloadKeys: parsePayloadKeys(env.PAYLOAD_KEY, env.PAYLOAD_OLD_KEYS),
    order: {
      paymentTimeoutMs: duration(env, 'PAYMENT_TIMEOUT', '30m'),
      auditTimeoutMs: duration(env, 'AUDIT_TIMEOUT', '24h'),
      returnWindowMs: duration(env, 'RETURN_WINDOW', '30d'),
      auditThresholdCents: integer(env, 'AUDIT_THRESHOLD_CENTS', 100_000, NUMBER_LIMITS.auditThresholdCents),
      orderLimitCents: integer(env, 'ORDER_LIMIT_CENTS', 1_000_000, NUMBER_LIMITS.orderLimitCents),
    },
    subscriptions: {
      perConnection: integer(env, 'MAX_SUBSCRIPTIONS_PER_CONNECTION', SUBSCRIPTION_LIMITS.perConnection),
      watchedOrders: integer(env, 'MAX_WATCHED_ORDERS', SUBSCRIPTION_LIMITS.watchedOrders),
    },
    worker: {
      maxCachedWorkflows: integer(env, 'WORKER_MAX_CACHED_WORKFLOWS', 500, { min: 2, max: 1_000_000 }),
      maxConcurrentWorkflowTasks: integer(env, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 40, {
        min: 2,
        max: 10_000,
      }),
      maxConcurrentActivities: integer(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES', 100, { min: 1, max: 10_000 }),
    },
    auth: {
      jwtSecret: env.AUTH_JWT_SECRET || undefined,
      jwksUrl: env.AUTH_JWKS_URL || undefined,
      issuer: env.AUTH_ISSUER || undefined,
      audience: env.AUTH_AUDIENCE || undefined,
      disabled: flag(env, 'AUTH_DISABLED'),
    },
    corsOrigins: list(env, 'CORS_ORIGINS'),
    persistedOnly: flag(env, 'PERSISTED_ONLY'),
  };
}
