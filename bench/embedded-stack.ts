/**
 * What the benchmarks drive: `npm run dev` itself (its own file-backed Temporal dev server, SQLite or MySQL, the
 * worker in the API's process, identity and the payload codec on), started as a child process in a scratch folder,
 * plus small helpers to sign tokens, send GraphQL and read a process's CPU and memory from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';

export interface EmbeddedStack {
  url: string;
  /** The API-and-worker process and the Temporal dev server's, for CPU and memory. */
  apiPid: number;
  temporalPid: number;
  token(role: 'customer' | 'staff' | 'admin', sub?: string): Promise<string>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A node child running a TypeScript entry point; its output is kept and echoed on failure. */
export function spawnNode(
  entry: string,
  args: string[] = [],
  env: Record<string, string> = {},
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Resolves with the output once `pattern` appears; rejects if the child exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 180_000): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const take = (chunk: Buffer) => {
      output += String(chunk);
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${pattern}:\n${output}`));
    });
  });
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The deepest process whose command line mentions `needle`: `pid` itself or one of its descendants. The deepest,
 * because a supervisor's command line names what it runs: the dev server's (server/temporal-supervisor.mjs) says
 * `temporal server start-dev ...` too.
 */
function descendantMatching(pid: number, needle: string): number {
  const childrenOf = (parent: number): number[] => {
    try {
      return readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  let deepest: number | undefined;
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const command = readFileSync(`/proc/${next}/cmdline`, 'utf8').replaceAll('\0', ' ');
    if (command.includes(needle)) deepest = next;
    queue.push(...childrenOf(next));
  }
  if (deepest === undefined) throw new Error(`no process running ${needle} under ${pid}`);
  return deepest;
}

/** The port of `npm run dev`'s API, its Temporal dev server and Web UI: free ports picked by the caller. */
export interface StackPorts {
  api: number;
  temporal: number;
  ui: number;
}

export async function startEmbeddedStack(
  ports: StackPorts,
  env: Record<string, string> = {},
): Promise<EmbeddedStack> {
  const folder = mkdtempSync(join(tmpdir(), 'orderflow-bench-'));
  const secret = randomBytes(32).toString('base64url');
  const child = spawnNode('server/dev.ts', [], {
    PORT: String(ports.api),
    TEMPORAL_DEV_PORT: String(ports.temporal),
    TEMPORAL_DEV_UI_PORT: String(ports.ui),
    TEMPORAL_DEV_DB: join(folder, 'temporal.sqlite'),
    SQLITE_PATH: join(folder, 'orderflow.sqlite'),
    AUTH_JWT_SECRET: secret,
    PAYMENT_TIMEOUT: '1h',
    AUDIT_THRESHOLD_CENTS: '2000000000',
    ORDER_LIMIT_CENTS: '2000000000',
    ...env,
  });
  await waitForOutput(child, /Orderflow is running/);
  const pid = child.pid ?? 0;
  const key = new TextEncoder().encode(secret);
  return {
    url: `http://127.0.0.1:${ports.api}`,
    apiPid: descendantMatching(pid, 'server/dev.ts'),
    temporalPid: descendantMatching(pid, 'server start-dev'),
    token: (role, sub = `bench-${role}`) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setExpirationTime('2h')
        .sign(key),
    async stop() {
      await stopChild(child, 'SIGINT');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A TCP port nothing listens on at 127.0.0.1 now (the system's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

export async function graphql<T>(url: string, token: string, query: string, variables = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** CPU seconds (user + system) from a /proc stat line; the name before the fields may hold spaces and parentheses. */
function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

export interface ThreadCpu {
  main: number;
  node: number;
  core: number;
}

/**
 * A Node worker process's CPU seconds so far by thread: its main thread (the API, the activities, the payload codec
 * and the SDK's side of the bridge to its core), the other threads Node names `node` (the workflow sandbox's thread,
 * V8's and libuv's helpers) and the rest (the SDK's core, in Rust). A thread that has ended is counted nowhere.
 */
export function threadCpuSeconds(pid: number): ThreadCpu {
  const cpu: ThreadCpu = { main: 0, node: 0, core: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended between the listing and the read
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const thread = tid === String(pid) ? 'main' : name === 'node' ? 'node' : 'core';
    cpu[thread] += statCpuSeconds(stat);
  }
  return cpu;
}

export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1] ?? 0) / 1024;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
