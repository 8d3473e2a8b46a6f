/**
 * A file-backed Temporal dev server for a benchmark, with its Prometheus metrics on a known port so the benchmark
 * can count the requests it served (workflow queries, say) without any counter in the code it measures. It runs
 * under the supervisor `npm run dev` uses, so it dies with the benchmark however that ends. (Written here because
 * `startTemporalDevServer` takes no metrics port.)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporalCliPath } from '../server/temporal-binaries';
import { portAnswers } from '../server/temporal-dev-server';
import { freePort } from './embedded-stack';

const SUPERVISOR = resolve(import.meta.dirname, '../server/temporal-supervisor.mjs');

export interface MeteredTemporal {
  address: string;
  /** The dev server's own process (not its supervisor's), for its CPU. */
  pid: number;
  /** How many requests of this gRPC operation (`QueryWorkflow`, ...) its frontend has served so far. */
  requests(operation: string): Promise<number>;
  /** The error lines it has logged so far (a dev server short of CPU logs persistence timeouts), and the first. */
  errors(): { count: number; first?: string };
  stop(): Promise<void>;
}

/** The frontend's `service_requests` counter of one operation, from a Prometheus text page. */
export function frontendRequests(metrics: string, operation: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('service_requests{')) continue;
    if (!line.includes(`operation="${operation}"`) || !line.includes('service_name="frontend"')) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Starts the dev server on free ports with its history in `folder`; resolves once it answers. */
export async function startMeteredTemporal(folder: string): Promise<MeteredTemporal> {
  const port = await freePort();
  const metricsPort = await freePort();
  const dbFile = join(folder, 'temporal.sqlite');
  const pidFile = `${dbFile}.pid`;
  // The supervisor's stdin is a pipe nobody writes to: it ends when this process dies, and the dev server stops.
  const child = spawn(
    process.execPath,
    [
      SUPERVISOR,
      pidFile,
      temporalCliPath(),
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--metrics-port',
      String(metricsPort),
      '--headless',
      '--log-level',
      'error',
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const logged: { count: number; first?: string } = { count: 0 };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter((text) => text.trim() !== '')) {
      logged.count += 1;
      logged.first ??= line.slice(0, 400);
    }
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 7_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  for (let attempt = 0; !(await portAnswers(port)); attempt += 1) {
    if (child.exitCode !== null || attempt > 300) {
      await stop();
      throw new Error(
        `the Temporal dev server did not start on port ${port}: ${logged.first ?? 'it logged nothing'}`,
      );
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    address: `127.0.0.1:${port}`,
    pid: Number.parseInt(readFileSync(pidFile, 'utf8'), 10),
    async requests(operation) {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      if (!response.ok) throw new Error(`the dev server's metrics answered HTTP ${response.status}`);
      return frontendRequests(await response.text(), operation);
    },
    errors: () => ({ ...logged }),
    stop,
  };
}
