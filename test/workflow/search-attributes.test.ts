/** Every worker registers the order search attributes at start: a second registration, or two at once, is harmless. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureSearchAttributes } from '../../worker/search-attributes';
import { startTimeSkippingServer } from '../support/temporal';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingServer();
});
afterAll(() => env?.teardown());

it('registers the search attributes once, then again, then from two workers at once, without an error', async () => {
  const register = () => ensureSearchAttributes(env.nativeConnection, env.namespace ?? 'default');
  await register();
  await register();
  await expect(Promise.all([register(), register()])).resolves.toEqual([undefined, undefined]);
});
