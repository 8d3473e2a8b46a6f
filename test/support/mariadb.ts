/**
 * A MariaDB server of a test file's own (its own data directory and port), so the file can stop it and start it
 * again, a real outage, while every other test file keeps the shared server at 127.0.0.1:3306. Built with the
 * Debian packages' `mariadb-install-db` and `mariadbd` (CI installs them too); removed at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './ports';
import { type ChildHandle, spawnCommand } from './processes';

const MARIADBD = process.env.TEST_MARIADBD ?? '/usr/sbin/mariadbd';
const INSTALL_DB = process.env.TEST_MARIADB_INSTALL_DB ?? 'mariadb-install-db';

export interface OwnMariaDb {
  /** `mysql://root@127.0.0.1:<port>`: the server, for `createTestOrm`. */
  url: string;
  /** SIGKILLs the server: every connection drops and new ones are refused, as in a crash. */
  crash(): Promise<void>;
  /** Starts it again on the same data directory and port (if it is not running); resolves once it answers. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  remove(): Promise<void>;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const connection = await createConnection(url);
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

export async function startOwnMariaDb(): Promise<OwnMariaDb> {
  const directory = await mkdtemp(join(tmpdir(), 'orderflow-mariadb-'));
  const dataDir = join(directory, 'data');
  const user = userInfo().username;
  await run(INSTALL_DB, [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--user=${user}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await freePort();
  const url = `mysql://root@127.0.0.1:${port}`;
  let server: ChildHandle | undefined;

  const start = async () => {
    if (server) return;
    server = spawnCommand(MARIADBD, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(directory, 'mariadb.sock')}`,
      `--pid-file=${join(directory, 'mariadb.pid')}`,
      `--user=${user}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
    ]);
    await server.waitFor(/ready for connections/, 30_000);
    // The log line comes just before the server accepts; wait until a connection goes through.
    for (let attempt = 0; !(await answers(url)); attempt += 1) {
      if (attempt >= 100) throw new Error(`MariaDB on port ${port} printed ready but refuses connections`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const crash = async () => {
    await server?.kill('SIGKILL');
    server = undefined;
  };

  try {
    await start();
  } catch (error) {
    await crash();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    crash,
    start,
    async remove() {
      await server?.kill('SIGTERM');
      server = undefined;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
