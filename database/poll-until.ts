/** Between reads of a row being waited for: soon at first, doubling up to every 100 ms. */
const POLL_MS = { first: 10, most: 100 };

/**
 * Reads until `done` holds for what was read or `timeoutMs` has passed; answers the last thing read. For waits on
 * rows the workflows write, which are usually there at the first or second read.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = POLL_MS.first; ; pause = Math.min(pause * 2, POLL_MS.most)) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
