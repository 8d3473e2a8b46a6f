/** The worker's cache and slots come from the environment with chosen defaults; nonsense is refused at start. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../common/config';

describe('worker tuning settings', () => {
  it('default to a cache of 500 orders, 40 workflow tasks and 100 activities at once', () => {
    expect(readConfig({}).worker).toEqual({
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTasks: 40,
      maxConcurrentActivities: 100,
    });
  });

  it('take a large machine’s values from the environment', () => {
    const env = {
      WORKER_MAX_CACHED_WORKFLOWS: '5000',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '200',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '400',
    };
    expect(readConfig(env).worker).toEqual({
      maxCachedWorkflows: 5_000,
      maxConcurrentWorkflowTasks: 200,
      maxConcurrentActivities: 400,
    });
  });

  it('refuse a cache of one order and values that are not whole numbers, naming the setting', () => {
    expect(() => readConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => readConfig({ WORKER_MAX_CONCURRENT_ACTIVITIES: 'lots' })).toThrow(
      /WORKER_MAX_CONCURRENT_ACTIVITIES must be a whole number/,
    );
  });
});
