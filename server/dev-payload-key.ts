/**
 * `npm run dev` encrypts payloads with nothing configured: it generates a key once and keeps it beside the dev
 * server's history file (`.data/payload-key`, git-ignored), so those histories stay readable across restarts.
 * `PAYLOAD_KEY` wins when set; the kept key then still decrypts what it wrote before.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatePayloadKey, type PayloadKeys, parsePayloadKey } from '../common/payload-codec';

/** The key belongs with the histories it encrypts. */
export function devPayloadKeyFile(temporalDevDb: string): string {
  return join(dirname(temporalDevDb), 'payload-key');
}

function readKept(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the kept key, or writes a new one (owner-only); of two processes racing, the second reads the first's. */
function keptOrNewKey(file: string): string {
  const kept = readKept(file);
  if (kept !== undefined) return kept;
  mkdirSync(dirname(file), { recursive: true });
  const created = generatePayloadKey(`dev-${new Date().toISOString().slice(0, 10)}`);
  try {
    writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKept(file) ?? created;
  }
}

function parseKept(file: string, entry: string) {
  try {
    return parsePayloadKey(file, entry);
  } catch (error) {
    throw new Error(`${(error as Error).message}; delete ${file} to start with a new key`);
  }
}

export function devPayloadKeys(configured: PayloadKeys | undefined, file: string): PayloadKeys {
  if (!configured) return { current: parseKept(file, keptOrNewKey(file)), older: [] };
  const kept = readKept(file);
  if (kept === undefined) return configured;
  const keptKey = parseKept(file, kept);
  const known = [configured.current, ...configured.older].some(({ id }) => id === keptKey.id);
  return known ? configured : { ...configured, older: [...configured.older, keptKey] };
}
