/** Starts `temporal server start-dev` (SQLite file, Web UI) as a child process and waits until it answers. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { temporalCliPath } from './temporal-binaries';

export interface DevServerOptions {
  dbFile: string;
  port: number;
  uiPort: number;
  /** The remote codec the Web UI calls to show encrypted payloads (the API's /codec). */
  codecEndpoint?: string;
}

export interface DevServer {
  address: string;
  uiUrl: string;
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

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  if (await portAnswers(options.port)) {
    throw new Error(
      `port ${options.port} is taken: set TEMPORAL_ADDRESS to use that server, or free the port`,
    );
  }
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const child: ChildProcess = spawn(
    temporalCliPath(),
    [
      'server',
      'start-dev',
      '--db-filename',
      options.dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--log-level',
      'error',
      ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; !(await portAnswers(options.port)); attempt += 1) {
    if (child.exitCode !== null || attempt > 300) {
      child.kill('SIGKILL');
      throw new Error(`the Temporal dev server did not start on port ${options.port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://localhost:${options.uiPort}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
