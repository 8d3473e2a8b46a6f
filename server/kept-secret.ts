/**
 * Dev mode keeps its secrets (the token-signing secret, the payload key) in files under `.data/`, made once and
 * owner-only, so what they signed or encrypted stays valid across restarts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The secret kept in `file`, or undefined when there is none yet. */
export function readKept(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the kept secret, or writes `create()`'s; of two processes racing, the second reads the first's. */
export function keptOrCreated(file: string, create: () => string): string {
  const kept = readKept(file);
  if (kept !== undefined) return kept;
  mkdirSync(dirname(file), { recursive: true });
  const created = create();
  try {
    writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKept(file) ?? created;
  }
}
