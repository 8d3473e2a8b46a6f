// @ts-check
/**
 * Runs the Temporal dev server for `npm run dev` and makes it die with its parent, which Node cannot ask of the
 * kernel (there is no PR_SET_PDEATHSIG): the parent holds the write end of this process's stdin and never writes,
 * so stdin ends when the parent is gone, SIGKILL included, and the dev server is stopped. While it runs, its pid is
 * in the pid file, so a next start can find one that outlived us all (this process SIGKILLed too) and replace it.
 * Plain JavaScript: started by plain node, at once. Usage: node temporal-supervisor.mjs <pid file> <temporal> <args...>
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

const [pidFile, command, ...args] = process.argv.slice(2);
if (!pidFile || !command) throw new Error('usage: temporal-supervisor.mjs <pid file> <temporal> <args...>');

const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
}

child.once('exit', (code, signal) => {
  rmSync(pidFile, { force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
child.once('error', (error) => {
  process.stderr.write(`cannot start ${command}: ${error.message}\n`);
  rmSync(pidFile, { force: true });
  process.exit(1);
});
process.stdin.on('data', () => undefined);
process.stdin.once('end', stop);
process.stdin.once('close', stop);
for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) process.on(signal, stop);
