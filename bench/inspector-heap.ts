/**
 * A full garbage collection in another node process through its inspector, so memory is compared after a
 * collection with no hook in the code measured. The process is started with `INSPECTOR_ENV` (an inspector on a
 * free port of 127.0.0.1) and prints its inspector's URL, which `inspectorUrlOf` finds in its output.
 */
import { once } from 'node:events';
import WebSocket from 'ws';

export const INSPECTOR_ENV = {
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim(),
};

export function inspectorUrlOf(output: string): string {
  const url = output.match(/Debugger listening on (ws:\/\/\S+)/)?.[1];
  if (!url) throw new Error(`no inspector URL in the process's output:\n${output.slice(0, 2_000)}`);
  return url;
}

/** Collects garbage and answers the bytes the heap then uses. */
export async function collectGarbage(inspectorUrl: string): Promise<number> {
  const socket = new WebSocket(inspectorUrl);
  await once(socket, 'open');
  let lastId = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++lastId;
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data)) as {
          id?: number;
          result?: Record<string, unknown>;
          error?: { message: string };
        };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result ?? {});
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const usage = await call('Runtime.getHeapUsage');
    return Number(usage.usedSize);
  } finally {
    socket.close();
  }
}
