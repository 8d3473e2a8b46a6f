/** Child processes for tests that need a real separate worker or server, killed for good at the end. */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ChildHandle {
  process: ChildProcess;
  output(): string;
  /** Resolves once a line matching `pattern` has been printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Neither exited nor killed by a signal yet. */
  running(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, so that it stops its own children on the way out; SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The last line of `output` that is a JSON object: the summary a benchmark prints at its end. */
export function lastJsonLine<T>(output: string): T {
  const last = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .at(-1);
  return JSON.parse(last ?? '{}') as T;
}

/** Runs a TypeScript entry point in its own node process (no npm or npx in between, so a kill reaches it). */
export function spawnTs(entry: string, env: Record<string, string>): ChildHandle {
  return spawnCommand(process.execPath, ['--import', 'tsx', entry], env, entry);
}

/** Runs a program in the project's directory, its output kept to wait for and to show when something fails. */
export function spawnCommand(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  /** How errors name the process. */
  entry = command,
): ChildHandle {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (running()) child.kill(signal);
    await exited;
  };

  return {
    process: child,
    output: () => output,
    running,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((done, fail) => {
        const check = () => {
          if (pattern.test(output)) {
            cleanup();
            done();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(new Error(`${entry} did not print ${pattern} within ${timeoutMs} ms; it printed:\n${output}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        exited.then(() => {
          if (!pattern.test(output)) {
            cleanup();
            fail(new Error(`${entry} exited before printing ${pattern}:\n${output}`));
          }
        });
        check();
      }),
    kill,
    stop: async (graceMs = 30_000) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
  };
}
