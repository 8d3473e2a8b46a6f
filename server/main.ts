/** `npm run server`: the API alone, against TEMPORAL_ADDRESS and DATABASE_URL (or the SQLite file). */
import { readConfig } from '../common/config';
import { openOrm } from '../worker/db/orm';
import { startApi } from './start-api';
import { webDemoHandler } from './web-demo-assets';

const config = readConfig();
const orm = await openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
const api = await startApi(config, orm, config.temporalAddress ?? 'localhost:7233', webDemoHandler());
console.log(`Orderflow API on ${api.url}/graphql (GraphiQL in a browser), demo page on ${api.url}/`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await api.close();
    await orm.close();
    process.exit(0);
  });
}
