/**
 * Starts `temporal server start-dev` (SQLite file, Web UI) under a small supervisor that stops it when this process
 * dies, however it dies, and waits until it answers. A dev server left running on the same file by a run that was
 * killed with its supervisor is found by its pid file and replaced.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { temporalCliPath } from './temporal-binaries';

const SUPERVISOR = resolve(import.meta.dirname, 'temporal-supervisor.mjs');

export interface DevServerOptions {
  dbFile: string;
  port: number;
  /** The Web UI's port; no Web UI when absent. */
  uiPort?: number;
  /** The remote codec the Web UI calls to show encrypted payloads (the API's /codec). */
  codecEndpoint?: string;
  /** Where the server's Prometheus metrics are served (`/metrics`); a port of its choosing when absent. */
  metricsPort?: number;
  /** Given each line the server logs (errors only); without it they go to this process's stderr. */
  onLogLine?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  /** The dev server's own process (not its supervisor's). */
  pid: number;
  stop(): Promise<void>;
}

/** Whether something accepts TCP connections on the port at 127.0.0.1. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line, from /proc, else from ps; empty when it is gone. */
function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/);
    } catch {
      return [];
    }
  }
}

/** A pid file's process is ours only if it still is a dev server on the same file: pids get reused. */
function isDevServerOn(pid: number, dbFile: string): boolean {
  const args = commandLine(pid);
  return args.includes('start-dev') && args[args.indexOf('--db-filename') + 1] === dbFile;
}

async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return done();
}

/** Stops the dev server an earlier run left on this file (it was killed with its supervisor), if there is one. */
async function replaceLeftover(pidFile: string, dbFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid) && isDevServerOn(pid, dbFile)) {
    console.log(`stopping the Temporal dev server (pid ${pid}) an earlier run left on ${dbFile}`);
    process.kill(pid, 'SIGTERM');
    if (!(await waitUntil(() => !isRunning(pid), 5_000))) process.kill(pid, 'SIGKILL');
    await waitUntil(() => !isRunning(pid), 5_000);
  }
  rmSync(pidFile, { force: true });
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const dbFile = resolve(options.dbFile);
  const pidFile = `${dbFile}.pid`;
  await replaceLeftover(pidFile, dbFile);
  if (await portAnswers(options.port)) {
    throw new Error(
      `port ${options.port} is taken: set TEMPORAL_ADDRESS to use that server, or free the port`,
    );
  }
  mkdirSync(dirname(dbFile), { recursive: true });
  // The supervisor's stdin is a pipe nobody writes to: it ends when this process dies, and the supervisor stops the
  // dev server (see temporal-supervisor.mjs).
  const child: ChildProcess = spawn(
    process.execPath,
    [
      SUPERVISOR,
      pidFile,
      temporalCliPath(),
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      // Write-ahead log, synchronous still FULL: one sync per commit instead of the rollback journal's several. Every
      // workflow task is a commit here; on a VM's disk this nearly doubles what the embedded default carries.
      '--sqlite-pragma',
      'journal_mode=wal',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
      '--log-level',
      'error',
      ...(options.metricsPort ? ['--metrics-port', String(options.metricsPort)] : []),
      ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ],
    { stdio: ['pipe', 'ignore', options.onLogLine ? 'pipe' : 'inherit'] },
  );
  const { onLogLine } = options;
  if (onLogLine) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') onLogLine(line);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; !(await portAnswers(options.port)); attempt += 1) {
    if (child.exitCode !== null || attempt > 300) {
      child.kill('SIGTERM');
      throw new Error(`the Temporal dev server did not start on port ${options.port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    pid: Number.parseInt(readFileSync(pidFile, 'utf8'), 10),
    async stop() {
      // The supervisor gives the dev server 5 s to stop before it kills it.
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 7_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
