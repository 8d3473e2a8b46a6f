/**
 * `npm run bench:feed` at a tiny size (40 subscriptions, a burst of 10, 2 s idle), as CI runs it: a smoke test of the
 * benchmark's correctness, never of its timings. In both variants (worker in the API process; worker apart with
 * two API processes) every subscriber gets every version of its order once and in order, reconnecting by version
 * (orders at rest) costs no workflow query and repeats no event, every paid order reaches COMPLETED at its subscriber,
 * and the bench exits 0 having stopped what it started.
 */
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import type { Deliveries } from '../../bench/feed-scale';
import { MARIADB_URL } from '../support/database';
import { type ChildHandle, lastJsonLine, spawnCommand } from '../support/processes';

interface VariantSummary {
  variant: string;
  burst: { orders: number; changes: number; latencyMs: { count: number }; paymentErrors: number };
  reconnect: { queries: number; events: number };
  deliveries: Deliveries;
}

interface Summary {
  subscriptions: number;
  burst: number;
  variants: VariantSummary[];
  ok: boolean;
}

const SUBSCRIPTIONS = 40;
const BURST = 10;

let bench: ChildHandle | undefined;

// SIGTERM lets the bench stop its children and its dev server; SIGKILL only if it does not.
afterAll(() => bench?.stop());

describe('npm run bench:feed at a tiny size', () => {
  it('delivers every change of every watched order once, in order, up to COMPLETED, in both variants', async () => {
    bench = spawnCommand(
      process.execPath,
      ['--import', 'tsx', 'bench/feed-scale.ts', String(SUBSCRIPTIONS), String(BURST)],
      { BENCH_MYSQL_URL: MARIADB_URL, BENCH_DATABASE: '', BENCH_FEED_IDLE_SECONDS: '2' },
      'bench/feed-scale.ts',
    );
    const [code] = await once(bench.process, 'exit');
    const output = bench.output();
    expect(code, output).toBe(0);
    const summary = lastJsonLine<Summary>(output);

    expect(summary.ok, output).toBe(true);
    expect(summary.variants.map((variant) => variant.variant)).toEqual(['inProcess', 'apart']);
    for (const { variant, burst, reconnect, deliveries } of summary.variants) {
      expect(reconnect, variant).toMatchObject({ queries: 0, events: 0 });
      expect(deliveries, variant).toEqual({
        missed: 0,
        repeated: 0,
        silent: 0,
        notCompleted: 0,
        errors: 0,
        ended: 0,
      });
      expect(burst.orders, variant).toBe(BURST);
      expect(burst.paymentErrors, variant).toBe(0);
      // Every paid order moved past AWAITING_PAYMENT at least to COMPLETED: several changes each, all timed.
      expect(burst.changes, variant).toBeGreaterThanOrEqual(BURST * 2);
      expect(burst.latencyMs.count, variant).toBe(burst.changes);
    }
  }, 900_000);
});
