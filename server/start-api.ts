/** Wires the API together: Temporal client, order service, status feed, schema context, HTTP server. */
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/core';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../common/config';
import { encryptingDataConverter } from '../common/payload-codec';
import type { ProductInput } from '../common/product';
import { listProducts, upsertProduct } from '../database/catalog';
import { orderChangeLog } from '../database/order-changes';
import { readOrderSnapshot } from '../database/order-snapshots';
import { onRowWritten } from '../database/row-writes';
import { createApi, type RequestHandler } from './app';
import { createAuthenticate } from './authentication';
import { type CodecAccess, codecEndpoint, staffCodecAccess } from './codec-endpoint';
import { PersistedDocuments } from './persisted-documents';
import { StatusFeed } from './status-feed';
import { TemporalOrders } from './temporal-orders';
import { WorkflowReads } from './workflow-reads';

export interface RunningApi {
  url: string;
  feed: StatusFeed;
  close(): Promise<void>;
}

export async function startApi(
  config: Config,
  orm: MikroORM,
  /**
   * The Temporal server's address, or the connection of a worker in this process (`npm run dev`): sharing it lets
   * that worker take a new order's first workflow task straight from the start's answer (see TemporalOrders.place).
   */
  temporal: string | NativeConnection,
  extraHandler?: RequestHandler,
  /** Who may call the Web UI's codec endpoint (/codec/decode); by default staff and admin, by their token. */
  codecAccess?: CodecAccess,
): Promise<RunningApi> {
  const authenticate = createAuthenticate(config.auth);
  // The SDK's Rust core carries the client's calls, as it does the worker's: @grpc/grpc-js's channel, HTTP/2 framing
  // and retries cost the API's one JavaScript thread up to a sixth of its time per order; Rust does them off it.
  const ownConnection = typeof temporal === 'string';
  const connection = ownConnection ? await NativeConnection.connect({ address: temporal }) : temporal;
  const dataConverter = encryptingDataConverter(config.payloadKeys);
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
  const codecs = dataConverter?.payloadCodecs ?? [];
  const access = codecAccess ?? staffCodecAccess(authenticate, config.corsOrigins);
  const codecHandler = codecs.length > 0 ? codecEndpoint({ codecs, ...access }) : undefined;
  const reads = new WorkflowReads(client);
  const feed = new StatusFeed(reads, orderChangeLog(orm), {
    maxWatchedOrders: config.subscriptions.watchedOrders,
    closedOrders: reads,
    storedOrders: { stored: (orderId) => readOrderSnapshot(orm, orderId) },
  });
  // When a worker beside the API writes the order rows through this ORM (`npm run dev`), the feed takes each state
  // it commits instead of asking the workflow for it; an API apart from its workers never hears one.
  const stopHearingWrites = onRowWritten(orm, (write) => feed.written(write));
  const orders = new TemporalOrders({
    client,
    reads,
    feed,
    orm,
    taskQueue: config.taskQueue,
    settings: config.order,
  });
  const catalog = {
    list: () => listProducts(orm),
    upsert: (input: ProductInput) => upsertProduct(orm, input),
  };
  const health = async () => ({
    temporal: await connection.workflowService.getSystemInfo({}).then(
      () => true,
      () => false,
    ),
    database: await orm.isConnected(),
  });
  const api = createApi({
    services: { orders, feed, catalog },
    authenticate,
    corsOrigins: config.corsOrigins,
    persistedDocuments: new PersistedDocuments(config.persistedOnly),
    health,
    extraHandler: (request, response) =>
      (codecHandler?.(request, response) ?? false) || (extraHandler?.(request, response) ?? false),
    maxSubscriptionsPerConnection: config.subscriptions.perConnection,
  });
  await new Promise<void>((resolve) => api.server.listen(config.port, '0.0.0.0', resolve));
  const { port } = api.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    feed,
    close() {
      closing ??= (async () => {
        stopHearingWrites();
        feed.close();
        await api.close();
        await reads.drain();
        if (ownConnection) await connection.close();
      })();
      return closing;
    },
  };
}
