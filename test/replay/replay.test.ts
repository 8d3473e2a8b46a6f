/** Every committed history must replay on the current workflow code: the gate for workflow changes. */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/temporal';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/histories');

describe('replay of recorded histories', () => {
  it('replays the completed and compensated orders recorded on the dev server without nondeterminism', async () => {
    const files = (await readdir(FIXTURES)).filter((file) => file.endsWith('.json')).sort();
    expect(files).toEqual(expect.arrayContaining(['completed.json', 'declined.json', 'undeliverable.json']));

    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file,
        history: historyFromJSON(JSON.parse(await readFile(join(FIXTURES, file), 'utf8'))),
      })),
    );
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
