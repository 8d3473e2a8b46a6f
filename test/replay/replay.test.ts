/** Every committed history must replay on the current workflow code: the gate for workflow changes. */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { encryptingDataConverter, parsePayloadKeys } from '../../common/payload-codec';
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

/** Replays every recorded history on a worker set up as the worker is with this data converter. */
async function replayFailures(dataConverter?: DataConverter): Promise<string[]> {
  const histories = await recordedHistories();
  expect(histories.length).toBeGreaterThanOrEqual(2 * SCENARIOS.length);
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: await workflowBundle(dataConverter), dataConverter },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return failures;
}

describe('replay of recorded histories', () => {
  it('replays every generation of completed and compensated orders recorded on the dev server', async () => {
    // Recorded as `npm run record:histories` runs its worker: without a payload key.
    expect(await replayFailures()).toEqual([]);
  });

  it('replays them on a worker with a payload key too: orders open when the key is turned on go on', async () => {
    // The codec passes clear payloads through; the sandbox encodes failures, which replay does not compare.
    const keys = parsePayloadKeys(`replay-key:${Buffer.alloc(32, 7).toString('base64')}`, undefined);
    expect(await replayFailures(encryptingDataConverter(keys))).toEqual([]);
  });
});
