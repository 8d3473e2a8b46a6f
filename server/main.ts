/** `npm run server`: the API alone, against TEMPORAL_ADDRESS and DATABASE_URL (or the SQLite file). */
import './production-mode';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readConfig } from '../common/config';
import { describePayloadEncryption } from '../common/payload-codec';
import { openOrm } from '../database/orm';
import { checkAuthSettings } from './authentication';
import { type RunningApi, startApi } from './start-api';
import { webDemoHandler } from './web-demo-assets';

// The Temporal client runs on the SDK's core runtime: its warnings only, and the signals stay this process's to handle.
Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
const config = readConfig();
try {
  checkAuthSettings(config.auth);
} catch (error) {
  console.error(`The API will not start: ${(error as Error).message}`);
  process.exit(1);
}
if (config.auth.disabled) {
  console.warn(
    '\n  !!! AUTH_DISABLED=true: authentication is OFF. Every caller may read every order, act for any\n' +
      '  !!! customer and edit the catalogue. Run like this only on a network you trust.\n',
  );
}
const temporalAddress = config.temporalAddress ?? 'localhost:7233';
const orm = await openOrm({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
let api: RunningApi;
try {
  api = await startApi(config, orm, temporalAddress, webDemoHandler());
} catch (error) {
  console.error(
    `The API could not start against Temporal at ${temporalAddress} (set TEMPORAL_ADDRESS, or use npm run dev):`,
    error instanceof Error ? error.message : error,
  );
  await orm.close();
  process.exit(1);
}
console.log(`Orderflow API on ${api.url}/graphql (GraphiQL in a browser), demo page on ${api.url}/`);
(config.payloadKeys ? console.log : console.warn)(`API: ${describePayloadEncryption(config.payloadKeys)}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await api.close();
    await orm.close();
    process.exit(0);
  });
}
