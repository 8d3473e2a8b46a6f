/** Runs `work` on every item, `inFlight` at a time, each lane taking the next item as soon as it is done. */
export async function inParallel<T>(
  items: readonly T[],
  inFlight: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}
