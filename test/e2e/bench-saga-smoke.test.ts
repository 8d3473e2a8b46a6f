/**
 * `npm run bench:saga` at a tiny size, so the benchmark keeps working: the real saga through the API and the bare
 * variants run their orders to COMPLETED, and the benchmark itself checks each order completed and was paid once
 * (it exits non-zero otherwise). Only correctness is asserted here, never a timing.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { lastJsonLine } from '../support/processes';

const ROOT = resolve(import.meta.dirname, '../..');
const ORDERS = 4;
const ROUNDS = 1;
const WARMUP = 1;

interface VariantSummary {
  ordersChecked: number;
  rounds: unknown[];
  historyEvents: { total: number };
}

describe('npm run bench:saga', () => {
  it('runs every variant to COMPLETED with each order paid once, and reports them all', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/saga-throughput.ts', String(ORDERS), String(ROUNDS), String(WARMUP)],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_DATABASE: 'sqlite' },
        maxBuffer: 32 * 1024 * 1024,
        // SIGTERM lets the benchmark stop its children and dev server on the way out.
        timeout: 300_000,
        killSignal: 'SIGTERM',
      },
    );
    const summary = lastJsonLine<{
      ok: boolean;
      variants: Record<string, VariantSummary>;
      ratios: Record<string, unknown>;
    }>(stdout);
    expect(summary.ok).toBe(true);
    expect(Object.keys(summary.variants)).toEqual(['A', 'B', 'C', 'D']);
    for (const variant of Object.values(summary.variants)) {
      expect(variant.ordersChecked).toBe(ORDERS * ROUNDS);
      expect(variant.rounds).toHaveLength(ROUNDS);
      expect(variant.historyEvents.total).toBeGreaterThan(0);
    }
    expect(Object.keys(summary.ratios)).toEqual(['A/B', 'A/C', 'A/D']);
  }, 360_000);
});
