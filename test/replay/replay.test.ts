/** Every committed history must replay on the current workflow code: the gate for workflow changes. */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/temporal';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/histories');

const SCENARIOS = ['cancelled.json', 'completed.json', 'declined.json', 'undeliverable.json'];

/** Each generation (a folder) holds the four scenarios recorded on the workflow code of its time. */
async function recordedHistories() {
  const generations = (await readdir(FIXTURES, { withFileTypes: true })).filter((entry) =>
    entry.isDirectory(),
  );
  const histories = [];
  for (const { name: generation } of generations) {
    const files = (await readdir(join(FIXTURES, generation))).filter((file) => file.endsWith('.json')).sort();
    expect(files, generation).toEqual(SCENARIOS);
    for (const file of files) {
      const json = JSON.parse(await readFile(join(FIXTURES, generation, file), 'utf8'));
      histories.push({ workflowId: `${generation}/${file}`, history: historyFromJSON(json) });
    }
  }
  return histories;
}

describe('replay of recorded histories', () => {
  it('replays every generation of completed and compensated orders recorded on the dev server', async () => {
    const histories = await recordedHistories();
    expect(histories.length).toBeGreaterThanOrEqual(2 * SCENARIOS.length);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle() },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
