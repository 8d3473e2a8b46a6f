/**
 * `npm run dev` encrypts payloads with nothing configured: it generates a key once and keeps it beside the dev
 * server's history file (`.data/payload-key`, git-ignored), so those histories stay readable across restarts.
 * `PAYLOAD_KEY` wins when set; the kept key then still decrypts what it wrote before.
 */
import { dirname, join } from 'node:path';
import { generatePayloadKey, type PayloadKeys, parsePayloadKey } from '../common/payload-codec';
import { keptOrCreated, readKept } from './kept-secret';

/** The key belongs with the histories it encrypts. */
export function devPayloadKeyFile(temporalDevDb: string): string {
  return join(dirname(temporalDevDb), 'payload-key');
}

const newDevKey = () => generatePayloadKey(`dev-${new Date().toISOString().slice(0, 10)}`);

function parseKept(file: string, entry: string) {
  try {
    return parsePayloadKey(file, entry);
  } catch (error) {
    throw new Error(`${(error as Error).message}; delete ${file} to start with a new key`);
  }
}

export function devPayloadKeys(configured: PayloadKeys | undefined, file: string): PayloadKeys {
  if (!configured) return { current: parseKept(file, keptOrCreated(file, newDevKey)), older: [] };
  const kept = readKept(file);
  if (kept === undefined) return configured;
  const keptKey = parseKept(file, kept);
  const known = [configured.current, ...configured.older].some(({ id }) => id === keptKey.id);
  return known ? configured : { ...configured, older: [...configured.older, keptKey] };
}
