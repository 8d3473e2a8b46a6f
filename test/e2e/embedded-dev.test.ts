/**
 * `npm run dev` as a newcomer runs it: its own Temporal dev server, the worker in-process, inventory in
 * an embedded SQLite file (the dev server's and the inventory's files in write-ahead-log mode); an order placed and
 * paid over HTTP streams to COMPLETED; SIGTERM stops it all, and a SIGKILL leaves no dev server behind that the next
 * start would trip over.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { portAnswers } from '../../server/temporal-dev-server';
import { collectOverWebSocket, post } from '../support/graphql-client';
import { freePort } from '../support/ports';
import { type ChildHandle, spawnTs } from '../support/processes';

const children: ChildHandle[] = [];
const directories: string[] = [];
/** Processes a test means to leave running for a while; killed at the end whatever happened. */
const strays: number[] = [];

afterAll(async () => {
  for (const child of children) await child.kill('SIGKILL');
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

interface DevPlace {
  directory: string;
  temporalPort: number;
  env: Record<string, string>;
}

/** A fresh directory and free ports for `npm run dev`. */
async function devPlace(): Promise<DevPlace> {
  const directory = await mkdtemp(join(tmpdir(), 'orderflow-dev-'));
  directories.push(directory);
  const temporalPort = await freePort();
  const env = {
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    SQLITE_PATH: join(directory, 'orderflow.sqlite'),
    TEMPORAL_DEV_DB: join(directory, 'temporal.sqlite'),
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_DEV_UI_PORT: String(await freePort()),
    RETURN_WINDOW: '2s',
  };
  return { directory, temporalPort, env };
}

/** `npm run dev` in a directory of its own (a fresh one unless given), on free ports. */
async function startDev(
  place?: DevPlace,
): Promise<{ dev: ChildHandle; directory: string; temporalPort: number; place: DevPlace }> {
  const where = place ?? (await devPlace());
  const dev = spawnTs('server/dev.ts', where.env);
  children.push(dev);
  return { dev, directory: where.directory, temporalPort: where.temporalPort, place: where };
}

const READY = /Ctrl-C stops everything/;

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The dev server's pid, from the pid file beside its database. */
function devServerPid(place: DevPlace): number {
  return Number.parseInt(readFileSync(`${place.env.TEMPORAL_DEV_DB}.pid`, 'utf8'), 10);
}

function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Whether the server handed the workflow's first task to the starting process's worker in the start's answer. */
async function startedEagerly(temporalPort: number, workflowId: string): Promise<boolean> {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    return history.events?.[0]?.workflowExecutionStartedEventAttributes?.eagerExecutionAccepted === true;
  } finally {
    await connection.close();
  }
}

describe('the embedded default (npm run dev)', () => {
  it('runs an order to COMPLETED on SQLite and its own Temporal dev server, and stops everything on SIGTERM', async () => {
    const { dev, directory, temporalPort } = await startDev();
    await dev.waitFor(/Ctrl-C stops everything/, 90_000);
    const url = /GraphQL\/GraphiQL (http:\/\/localhost:\d+)\/graphql/.exec(dev.output())?.[1] ?? '';
    expect(dev.output()).toContain(join(directory, 'orderflow.sqlite'));
    // Bytes 18 and 19 of a SQLite file's header are 2 when the file is in write-ahead-log mode (1: rollback journal).
    const temporalHeader = readFileSync(join(directory, 'temporal.sqlite')).subarray(18, 20);
    expect([...temporalHeader]).toEqual([2, 2]);

    expect(dev.output()).toContain('/dev/token');
    const signIn = await fetch(`${url}/dev/token`, {
      method: 'POST',
      body: '{"role":"customer","sub":"newcomer"}',
    });
    const { token } = (await signIn.json()) as { token: string };
    const placed = await post<{ placeOrder: { order: { id: string; status: string } } }>(
      url,
      `mutation { placeOrder(input: { items: [{ sku: "MUG-BLUE", quantity: 1 }],
        address: { name: "N", line1: "1 Road", city: "Lyon", postalCode: "69001", country: "FR" } }) { order { id status } } }`,
      {},
      token,
    );
    const order = placed.body.data?.placeOrder.order;
    expect(order?.status).toBe('AWAITING_PAYMENT');
    // The API and the worker share one connection, so the order's first workflow task came with the start's answer.
    expect(await startedEagerly(temporalPort, order?.id ?? '')).toBe(true);
    const stream = collectOverWebSocket(url, { id: order?.id, since: 0 }, undefined, token);
    await post(
      url,
      `mutation { payOrder(input: { orderId: "${order?.id}", paymentMethod: "tok_visa" }) { order { id } } }`,
      {},
      token,
    );
    const events = await stream.done;
    expect(events.map((event) => event.status)).toContain('COMPLETED');

    const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    const graphiql = await page.text();
    expect(graphiql).toContain('Orderflow');
    expect(graphiql).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);

    await dev.kill('SIGTERM');
    expect(dev.output()).toContain('stopping...');
    expect(await portAnswers(temporalPort)).toBe(false);
  }, 150_000);

  it('SIGTERM while it is still starting stops the Temporal dev server it had already started', async () => {
    const { dev, temporalPort } = await startDev();
    // Until its dev server answers, or it exits: a start that failed shows its output, not a timeout.
    while (dev.running() && !(await portAnswers(temporalPort)))
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(dev.running(), dev.output()).toBe(true);
    await dev.stop(30_000);
    expect(dev.output()).not.toContain('Ctrl-C stops everything');
    expect(dev.process.exitCode, dev.output()).toBe(0);
    expect(await portAnswers(temporalPort)).toBe(false);
  }, 120_000);

  it('a SIGKILLed npm run dev takes its Temporal dev server with it, and starts again on the same ports', async () => {
    const first = await startDev();
    await first.dev.waitFor(READY, 90_000);
    const devServer = devServerPid(first.place);
    await first.dev.kill('SIGKILL');
    expect(
      await eventually(async () => !isRunning(devServer) && !(await portAnswers(first.temporalPort))),
    ).toBe(true);

    const second = await startDev(first.place);
    await second.dev.waitFor(READY, 90_000);
    expect(second.dev.output()).not.toContain('earlier run');
    await second.dev.kill('SIGTERM');
    expect(await portAnswers(first.temporalPort)).toBe(false);
  }, 200_000);

  it('a dev server that outlived its run (its supervisor SIGKILLed too) is replaced at the next start', async () => {
    const first = await startDev();
    await first.dev.waitFor(READY, 90_000);
    const leftover = devServerPid(first.place);
    strays.push(leftover);
    process.kill(parentPid(leftover), 'SIGKILL');
    await first.dev.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(isRunning(leftover)).toBe(true);
    expect(await portAnswers(first.temporalPort)).toBe(true);

    const second = await startDev(first.place);
    await second.dev.waitFor(READY, 90_000);
    expect(second.dev.output()).toContain(`Temporal dev server (pid ${leftover}) an earlier run left`);
    expect(isRunning(leftover)).toBe(false);
    expect(devServerPid(first.place)).not.toBe(leftover);
    await second.dev.kill('SIGTERM');
    expect(await portAnswers(first.temporalPort)).toBe(false);
  }, 200_000);
});
