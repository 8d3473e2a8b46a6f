/**
 * `npm run dev` as a newcomer runs it: its own Temporal dev server, the worker in-process, inventory in
 * an embedded SQLite file; an order placed and paid over HTTP streams to COMPLETED; SIGTERM stops it all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portAnswers } from '../../server/temporal-dev-server';
import { collectOverWebSocket, post } from '../support/graphql-client';
import { freePort } from '../support/ports';
import { type ChildHandle, spawnTs } from '../support/processes';

const children: ChildHandle[] = [];
const directories: string[] = [];

afterAll(async () => {
  for (const child of children) await child.kill('SIGKILL');
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** `npm run dev` in a fresh directory of its own, on free ports. */
async function startDev(): Promise<{ dev: ChildHandle; directory: string; temporalPort: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'orderflow-dev-'));
  directories.push(directory);
  const temporalPort = await freePort();
  const dev = spawnTs('server/dev.ts', {
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    SQLITE_PATH: join(directory, 'orderflow.sqlite'),
    TEMPORAL_DEV_DB: join(directory, 'temporal.sqlite'),
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_DEV_UI_PORT: String(await freePort()),
    RETURN_WINDOW: '2s',
  });
  children.push(dev);
  return { dev, directory, temporalPort };
}

describe('the embedded default (npm run dev)', () => {
  it('runs an order to COMPLETED on SQLite and its own Temporal dev server, and stops everything on SIGTERM', async () => {
    const { dev, directory, temporalPort } = await startDev();
    await dev.waitFor(/Ctrl-C stops everything/, 90_000);
    const url = /GraphQL\/GraphiQL (http:\/\/localhost:\d+)\/graphql/.exec(dev.output())?.[1] ?? '';
    expect(dev.output()).toContain(join(directory, 'orderflow.sqlite'));

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
    while (!(await portAnswers(temporalPort))) await new Promise((resolve) => setTimeout(resolve, 50));
    await dev.kill('SIGTERM');
    expect(dev.output()).not.toContain('Ctrl-C stops everything');
    expect(dev.process.exitCode).toBe(0);
    expect(await portAnswers(temporalPort)).toBe(false);
  }, 120_000);
});
