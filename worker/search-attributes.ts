/** Registers the order search attributes on the Temporal namespace when missing, before the worker takes any work. */
import proto from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';
import { ORDER_SEARCH_ATTRIBUTES } from '../common/search-attributes';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const REGISTRATION_WAIT_MS = 10_000;
/** gRPC status codes: another worker registered the attribute first; the server has no such method. */
const ALREADY_EXISTS = 6;
const UNIMPLEMENTED = 12;
const NAMES = ORDER_SEARCH_ATTRIBUTES.map((key) => key.name);

/** The names not registered yet, or undefined when the server cannot list them (the time-skipping test server). */
async function missingAttributes(
  connection: NativeConnection,
  namespace: string,
): Promise<string[] | undefined> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return NAMES.filter((name) => !customAttributes?.[name]);
  } catch (error) {
    if ((error as { code?: number }).code === UNIMPLEMENTED) return undefined;
    throw error;
  }
}

async function register(connection: NativeConnection, namespace: string, names: string[]): Promise<void> {
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        names.map((name) => [name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } catch (error) {
    if ((error as { code?: number }).code === ALREADY_EXISTS) return;
    throw new Error(
      `search attributes ${names.join(', ')} are not registered on namespace "${namespace}" and registering them ` +
        `failed (${(error as Error).message}); register them as Keyword, e.g. ` +
        `temporal operator search-attribute create --namespace ${namespace} --name ${names[0]} --type Keyword`,
    );
  }
}

export async function ensureSearchAttributes(connection: NativeConnection, namespace: string): Promise<void> {
  const missing = await missingAttributes(connection, namespace);
  if (missing?.length === 0) return;
  await register(connection, namespace, missing ?? NAMES);
  if (missing === undefined) return;
  const deadline = Date.now() + REGISTRATION_WAIT_MS;
  for (;;) {
    const stillMissing = (await missingAttributes(connection, namespace)) ?? [];
    if (stillMissing.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `search attributes ${stillMissing.join(', ')} are still missing after registering them`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
