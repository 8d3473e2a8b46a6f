/**
 * Closed-loop POST load in its own process, so the client never shares a core's event loop with the server:
 *   tsx bench/load-client.ts <url> <body-json> <seconds> <concurrency> [authorization]
 * Prints one JSON line: requests/s, errors (non-200 or GraphQL errors), p50 and p99 in ms.
 */
export {};

const [url = '', body = '', seconds = '5', concurrency = '32', authorization] = process.argv.slice(2);
const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
const end = Date.now() + Number(seconds) * 1000;
const latencies: number[] = [];
let errors = 0;
let firstError: string | undefined;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (Date.now() < end) {
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', headers, body });
      const answer = (await response.json()) as { errors?: unknown };
      if (response.status !== 200 || answer.errors) {
        errors += 1;
        firstError ??= JSON.stringify(answer).slice(0, 300);
      }
      latencies.push(performance.now() - started);
    }
  }),
);
latencies.sort((a, b) => a - b);
const at = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
console.log(
  JSON.stringify({
    rps: Math.round(latencies.length / Number(seconds)),
    errors,
    firstError,
    p50: Number(at(0.5).toFixed(1)),
    p99: Number(at(0.99).toFixed(1)),
  }),
);
