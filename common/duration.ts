const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `90s`, `30m`, `12h`, `30d` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) {
    throw new Error(
      `"${text}" is not a duration: write a number with a unit, e.g. 500ms, 90s, 30m, 12h, 30d`,
    );
  }
  const [, amount, unit = 'ms'] = match;
  return Math.round(Number(amount) * (UNIT_MS[unit] ?? 1));
}
