/**
 * Credentials never reach a log: a URL's password (`mysql://user:password@host`, mistyped ones too) and
 * `password=...` settings are masked in any text before it is printed or thrown where it could be.
 */

const MASK = '***';
/** The scheme as typed, slashes and all (`mysql://`, or `mysql:/` when one is missing). */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/*/i;
/** A token that looks like a URL with credentials: a scheme, then an `@` before the next space or quote. */
const URL_WITH_AT = /[a-z][a-z0-9+.-]*:\/*[^\s"'`<>]*@[^\s"'`<>]*/gi;
/** `password=...`, `password: '...'`, `"password":"..."` and the like (MySQL's `using password: YES` says nothing). */
const SECRET_SETTING =
  /\b(password|passwd|pwd|secret|token|api[_-]?key)(["']?\s*[:=]\s*["']?)(?!(?:YES|NO)\))[^\s"'&,;})]+/gi;

/** The URL with its password masked; the user name stays (it helps, and drivers print it anyway). */
export function redactUrl(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at < 0) return raw;
  const scheme = SCHEME.exec(raw)?.[0] ?? '';
  const userinfo = raw.slice(scheme.length, at);
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${MASK}${raw.slice(at)}`;
  // `mysqlroot:secret@host`: with no slashes the scheme's colon may be the password's.
  if (scheme && !scheme.endsWith('/')) return `${scheme}${MASK}${raw.slice(at)}`;
  return raw;
}

/** Any text (an error message, a log line) with the credentials it may hold masked. */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_WITH_AT, (url) => redactUrl(url))
    .replace(SECRET_SETTING, (_match, key: string, separator: string) => `${key}${separator}${MASK}`);
}

/**
 * An error safe to print: its message, its causes' and its plain fields (`code`, `errno`...) redacted, and its
 * other fields dropped, since drivers hang their connection settings on their errors.
 */
export function redactedError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactSecrets(String(error)));
  const cause = error.cause === undefined ? undefined : redactedError(error.cause);
  const safe = new Error(redactSecrets(error.message), cause ? { cause } : undefined);
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'number' || typeof value === 'boolean') Object.assign(safe, { [key]: value });
    if (typeof value === 'string') Object.assign(safe, { [key]: redactSecrets(value) });
  }
  safe.name = error.name;
  safe.stack = `${safe.name}: ${safe.message}\n${(error.stack ?? '').split('\n').slice(1).join('\n')}`;
  return safe;
}

/** Log metadata with every string and error in it redacted (one level deep: what loggers are handed). */
export function redactedMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!meta) return meta;
  return Object.fromEntries(
    Object.entries(meta).map(([key, value]) => {
      if (value instanceof Error) return [key, redactedError(value)];
      if (typeof value === 'string') return [key, redactSecrets(value)];
      return [key, value];
    }),
  );
}
