/**
 * A file-backed Temporal dev server for a benchmark, with its Prometheus metrics on a known port so the benchmark
 * can count the requests it served (workflow queries, say) without any counter in the code it measures, and the
 * errors it logs. It runs under the supervisor `npm run dev` uses, so it dies with the benchmark however that ends.
 */
import { join } from 'node:path';
import { startTemporalDevServer } from '../server/temporal-dev-server';
import { freePort } from './embedded-stack';

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
  const metricsPort = await freePort();
  const logged: { count: number; first?: string } = { count: 0 };
  const server = await startTemporalDevServer({
    dbFile: join(folder, 'temporal.sqlite'),
    port: await freePort(),
    metricsPort,
    onLogLine: (line) => {
      logged.count += 1;
      logged.first ??= line.slice(0, 400);
    },
  });
  return {
    address: server.address,
    pid: server.pid,
    async requests(operation) {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      if (!response.ok) throw new Error(`the dev server's metrics answered HTTP ${response.status}`);
      return frontendRequests(await response.text(), operation);
    },
    errors: () => ({ ...logged }),
    stop: () => server.stop(),
  };
}
