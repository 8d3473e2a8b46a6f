/** Between reads of a row being waited for: soon at first, doubling up to every 100 ms. */
const POLL_MS = { first: 10, most: 100 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `done` holds for what was read or `timeoutMs` has passed; answers the last thing read. For waits on
 * rows the workflows write, which are usually there at the first or second read. `pause` waits between reads (it may
 * end sooner, when the row is known to have been written).
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  pause: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let ms = POLL_MS.first; ; ms = Math.min(ms * 2, POLL_MS.most)) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await pause(ms);
  }
}
