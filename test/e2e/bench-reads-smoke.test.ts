/**
 * `npm run bench:reads` at a tiny size (1 s, 1 round, 4 clients, 4 orders a saga run), as CI runs it: a smoke test of
 * the benchmark's correctness, never of its timings. Every read under load gets exactly the answer it got alone,
 * the orders read back as they were placed (as their customer, as staff, in a page, fresh from the workflow), and the
 * bench exits 0 having stopped what it started.
 */
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildHandle, lastJsonLine, spawnCommand } from '../support/processes';

interface Row {
  requests: number;
  errors: number;
}

interface Summary {
  reads: Record<string, Row>;
  sagas: { readerRequests: number; readerErrors: number };
  checks: Record<string, boolean>;
  errors: number;
  ok: boolean;
}

let bench: ChildHandle | undefined;

// SIGTERM lets the bench stop its children and its dev server; SIGKILL only if it does not.
afterAll(() => bench?.stop());

describe('npm run bench:reads at a tiny size', () => {
  it('answers every read without an error and reads each order back as it was placed', async () => {
    bench = spawnCommand(
      process.execPath,
      ['--import', 'tsx', 'bench/read-throughput.ts', '1', '1', '4', '4'],
      {},
      'bench/read-throughput.ts',
    );
    const [code] = await once(bench.process, 'exit');
    const output = bench.output();
    expect(code, output).toBe(0);
    const summary = lastJsonLine<Summary>(output);

    expect(summary.ok, output).toBe(true);
    expect(summary.errors).toBe(0);
    expect(Object.keys(summary.reads)).toEqual(
      expect.arrayContaining([
        'bare { hello }',
        'order(id) as staff',
        'order(id) as its customer',
        'orders(first: 50) with detail',
        'products',
      ]),
    );
    for (const [name, row] of Object.entries(summary.reads)) {
      expect(row.errors, name).toBe(0);
      expect(row.requests, name).toBeGreaterThan(0);
    }
    expect(summary.sagas.readerErrors).toBe(0);
    expect(summary.sagas.readerRequests).toBeGreaterThan(0);
    expect(summary.checks).toMatchObject({
      'every order reads back as placed, as its customer and as staff': true,
      'staff and the customer read the same order': true,
      'orders(first: 50) holds 50 of the orders placed': true,
      'a page shows each paid order as order(id) does': true,
      'products lists the catalogue': true,
    });
    expect(Object.values(summary.checks).every(Boolean), JSON.stringify(summary.checks)).toBe(true);
  }, 600_000);
});
