/** Settings read once from the environment at start-up and passed down. */
import { parseDuration } from './duration';
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
  /** PAYLOAD_KEY (encrypts) and PAYLOAD_OLD_KEYS (decrypt only); unset means payloads go to Temporal in clear. */
  payloadKeys: PayloadKeys | undefined;
  order: OrderSettings;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number >= 0, got "${raw}"`);
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
    payloadKeys: parsePayloadKeys(env.PAYLOAD_KEY, env.PAYLOAD_OLD_KEYS),
    order: {
      paymentTimeoutMs: duration(env, 'PAYMENT_TIMEOUT', '30m'),
      auditTimeoutMs: duration(env, 'AUDIT_TIMEOUT', '24h'),
      returnWindowMs: duration(env, 'RETURN_WINDOW', '30d'),
      auditThresholdCents: integer(env, 'AUDIT_THRESHOLD_CENTS', 100_000),
      orderLimitCents: integer(env, 'ORDER_LIMIT_CENTS', 1_000_000),
    },
  };
}
