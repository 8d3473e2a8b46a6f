/**
 * Worker processes a benchmark forks: each says over its IPC channel when it is ready and what it saw, and stops
 * when told, on SIGTERM or SIGINT, or when the benchmark is gone (its channel closes, even after a SIGKILL), so a
 * run that fails or is killed leaves nothing polling behind it.
 */
import { fork } from 'node:child_process';

export interface BenchMessage {
  type: string;
  [field: string]: unknown;
}

export interface BenchChild {
  pid: number;
  /** Resolves once the child says it is ready; rejects if it exits first. */
  ready: Promise<void>;
  /** Rejects when the child exits without having been asked to stop. */
  lost: Promise<never>;
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 15_000;

/** Forks a TypeScript entry point; its output goes to this process's stderr, so stdout stays the report's. */
export function forkBenchChild(
  name: string,
  entry: string,
  env: Record<string, string>,
  onMessage: (message: BenchMessage) => void,
): BenchChild {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exitCause = () => `${name} (pid ${child.pid}) exited with ${child.exitCode ?? child.signalCode}`;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: BenchMessage) => {
      if (message.type === 'ready') resolve();
      else onMessage(message);
    });
    void exited.then(() => reject(new Error(`${exitCause()} before it was ready`)));
  });
  const lost = exited.then(() => {
    if (!stopping) throw new Error(exitCause());
    return new Promise<never>(() => undefined);
  });
  // Whoever races against these hears of the failure; nobody listening is no crash.
  ready.catch(() => undefined);
  lost.catch(() => undefined);
  return {
    pid: child.pid ?? 0,
    ready,
    lost,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In the child: tells the benchmark something, if it is still there to hear it. */
export function announce(message: BenchMessage): void {
  if (process.connected) process.send?.(message);
}

/** In the child: runs `stop` once, on the benchmark's request, a signal, or the benchmark's end, then exits. */
export function stopOnRequest(stop: () => Promise<void>): void {
  let stopping = false;
  const stopOnce = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: BenchMessage) => {
    if (message?.type === 'stop') stopOnce();
  });
  process.on('disconnect', stopOnce);
  process.on('SIGTERM', stopOnce);
  process.on('SIGINT', stopOnce);
}
