/**
 * Closed-loop POST load in a process of its own, so the client never shares an event loop with the server it
 * measures: `concurrency` lanes, each sending its next request as soon as its last one is answered.
 *   tsx bench/load-client.ts <url> <body-json> <seconds> <concurrency> [authorization]
 * prints one JSON line (a `LoadResult`). A benchmark forks it once with `startLoadClient()` and sends it every
 * measurement of its run over IPC. An answer is an error unless it is HTTP 200 with `data` and no `errors` (and, when
 * the request names the answer it expects, exactly that text): every error is counted, none dropped.
 */
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percentile } from './embedded-stack';

export interface LoadRequest {
  body: string;
  authorization?: string;
  /** The exact answer this request must get (the same data gives the same bytes). */
  expected?: string;
}

export interface LoadSpec {
  url: string;
  /** Sent in turn across the lanes: one order after another, each with its own customer's token, say. */
  requests: LoadRequest[];
  concurrency: number;
  /** Stops after this long; without it, when told to stop. */
  seconds?: number;
}

export interface LoadResult {
  requests: number;
  /** From the first request to the last answer, the answers still in flight at the deadline included. */
  seconds: number;
  rps: number;
  errors: number;
  firstError?: string;
  p50: number;
  p99: number;
}

type LoadCommand = { kind: 'run'; id: number; spec: LoadSpec } | { kind: 'stop'; id: number };

type LoadReply =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; result: LoadResult }
  | { kind: 'failed'; id: number; message: string };

/** Why an answer is not the one asked for, or undefined when it is. */
function problemOf(status: number, text: string, expected: string | undefined): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 300)}`;
  if (expected !== undefined)
    return text === expected ? undefined : `unexpected answer: ${text.slice(0, 300)}`;
  let answer: { data?: unknown; errors?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return `not JSON: ${text.slice(0, 300)}`;
  }
  if (answer.errors !== undefined) return `errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
  return answer.data ? undefined : `no data: ${text.slice(0, 300)}`;
}

/** Runs the load until the deadline or until `stopped()` says so. */
async function runLoad(spec: LoadSpec, stopped: () => boolean = () => false): Promise<LoadResult> {
  if (spec.requests.length === 0) throw new Error('a load needs at least one request');
  const deadline =
    spec.seconds === undefined ? Number.POSITIVE_INFINITY : performance.now() + spec.seconds * 1000;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const lane = async () => {
    while (performance.now() < deadline && !stopped()) {
      const request = spec.requests[next++ % spec.requests.length] as LoadRequest;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (request.authorization) headers.authorization = request.authorization;
      const sent = performance.now();
      let problem: string | undefined;
      try {
        const response = await fetch(spec.url, { method: 'POST', headers, body: request.body });
        problem = problemOf(response.status, await response.text(), request.expected);
      } catch (error) {
        problem = `request failed: ${(error as Error).message}`;
      }
      latencies.push(performance.now() - sent);
      if (problem) {
        errors += 1;
        firstError ??= problem;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: spec.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  const tenths = (value: number) => Math.round(value * 10) / 10;
  return {
    requests: latencies.length,
    seconds: tenths(seconds),
    rps: tenths(latencies.length / seconds),
    errors,
    firstError,
    p50: tenths(percentile(latencies, 50)),
    p99: tenths(percentile(latencies, 99)),
  };
}

/** In the forked client: one run at a time, each answered by its id; the client ends with its parent. */
function serveCommands(send: (reply: LoadReply) => void): void {
  let current: { id: number; stop: boolean } | undefined;
  process.on('message', (command: LoadCommand) => {
    if (command.kind === 'stop') {
      if (current?.id === command.id) current.stop = true;
      return;
    }
    if (current) {
      send({ kind: 'failed', id: command.id, message: `run ${current.id} is still going` });
      return;
    }
    const run = { id: command.id, stop: false };
    current = run;
    runLoad(command.spec, () => run.stop)
      .then((result) => send({ kind: 'result', id: run.id, result }))
      .catch((error: unknown) => send({ kind: 'failed', id: run.id, message: String(error) }))
      .finally(() => {
        current = undefined;
      });
  });
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready' });
}

export interface LoadClient {
  run(spec: LoadSpec): Promise<LoadResult>;
  /** Runs until `stop()`, which answers the result. */
  start(spec: LoadSpec): { stop(): Promise<LoadResult> };
  close(): Promise<void>;
}

/** Forks the load client once; it serves every measurement of the run, one at a time. */
export async function startLoadClient(): Promise<LoadClient> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<
    number,
    { resolve: (result: LoadResult) => void; reject: (error: Error) => void }
  >();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((done) => {
    ready = done;
  });
  child.on('message', (reply: LoadReply) => {
    if (reply.kind === 'ready') return ready();
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.kind === 'result') waiting?.resolve(reply.result);
    else waiting?.reject(new Error(`load run ${reply.id}: ${reply.message}`));
  });
  void exited.then(() => {
    for (const waiting of pending.values()) waiting.reject(new Error('the load client exited'));
    pending.clear();
  });
  await Promise.race([
    isReady,
    exited.then(() => Promise.reject(new Error('the load client did not start'))),
  ]);
  let nextId = 0;
  const send = (command: LoadCommand) => child.send(command);
  const begin = (spec: LoadSpec) => {
    const id = ++nextId;
    const done = new Promise<LoadResult>((resolve, reject) => pending.set(id, { resolve, reject }));
    send({ kind: 'run', id, spec });
    return { id, done };
  };
  return {
    run: (spec) => begin(spec).done,
    start(spec) {
      const { id, done } = begin(spec);
      return {
        stop() {
          send({ kind: 'stop', id });
          return done;
        },
      };
    },
    async close() {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const send = process.send?.bind(process);
if (isEntryPoint && send) {
  serveCommands((reply) => send(reply));
} else if (isEntryPoint) {
  const [url = '', body = '', seconds = '5', concurrency = '32', authorization] = process.argv.slice(2);
  const result = await runLoad({
    url,
    requests: [{ body, authorization }],
    seconds: Number(seconds),
    concurrency: Number(concurrency),
  });
  console.log(JSON.stringify(result));
}
