/** Credentials are masked before anything prints them: URLs as typed (mistyped too) and password settings. */
import { describe, expect, it } from 'vitest';
import { redactedError, redactedMeta, redactSecrets, redactUrl } from '../../common/redact';
import { openOrm } from '../../database/orm';

describe('redacting credentials', () => {
  it.each([
    ['mysql://root:hunter2@db:3306/orders', 'mysql://root:***@db:3306/orders'],
    ['mysql://root:p@ss/w:rd@db/orders', 'mysql://root:***@db/orders'],
    ['mysql:/root:hunter2@db/orders', 'mysql:/root:***@db/orders'],
    ['mysql//root:hunter2@db/orders', 'mysql//root:***@db/orders'],
    ['mysqlroot:hunter2@db/orders', 'mysqlroot:***@db/orders'],
    ['postgres://:hunter2@db', 'postgres://:***@db'],
    ['mysql://root@db/orders', 'mysql://root@db/orders'],
    ['mysql://db/orders', 'mysql://db/orders'],
  ])('%s prints as %s', (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
    expect(redactSecrets(`DATABASE_URL must be a mysql:// URL, got "${raw}"`)).toBe(
      `DATABASE_URL must be a mysql:// URL, got "${shown}"`,
    );
  });

  it('masks every URL and password setting in a text, and nothing else', () => {
    const text =
      'cannot reach mysql://app:s3cret@db-1/orders nor https://u:tok@example.com/x; password=hunter2, ' +
      '{"password":"hunter3"} token: abc123 user root';
    const shown = redactSecrets(text);
    for (const secret of ['s3cret', 'tok@', 'hunter2', 'hunter3', 'abc123'])
      expect(shown).not.toContain(secret);
    expect(shown).toBe(
      'cannot reach mysql://app:***@db-1/orders nor https://u:***@example.com/x; password=***, ' +
        '{"password":"***"} token: *** user root',
    );
  });

  it('an error keeps its name, stack frames and codes, loses the secrets in its message and causes, and its settings', () => {
    const cause = Object.assign(new Error('connect to mysql://root:hunter2@db failed'), {
      code: 'ECONNREFUSED',
      errno: -111,
      config: { password: 'hunter2' },
    });
    const error = new TypeError('open mysql://root:hunter2@db', { cause });
    const safe = redactedError(error);
    expect(safe.name).toBe('TypeError');
    expect(safe.message).toBe('open mysql://root:***@db');
    expect((safe.cause as Error).message).toBe('connect to mysql://root:***@db failed');
    expect(safe.cause).toMatchObject({ code: 'ECONNREFUSED', errno: -111 });
    expect(JSON.stringify(safe.cause)).not.toContain('hunter2');
    expect(safe.stack).not.toContain('hunter2');
    expect(safe.stack?.split('\n')[1]).toBe(error.stack?.split('\n')[1]);
  });

  it('log metadata loses the secrets in its strings and errors, and keeps the rest', () => {
    const meta = redactedMeta({
      url: 'mysql://root:hunter2@db',
      error: new Error('password=hunter2'),
      attempt: 3,
    });
    expect(meta).toMatchObject({
      url: 'mysql://root:***@db',
      error: { message: 'password=***' },
      attempt: 3,
    });
  });
});

describe('opening the database', () => {
  it.each(['mysql:/root:hunter2@127.0.0.1:3306/orders', 'mysql://root:hunter2@127.0.0.1:1/orders'])(
    'a mistyped or unreachable DATABASE_URL (%s) fails without its password',
    async (databaseUrl) => {
      const failure = await openOrm({ databaseUrl, sqlitePath: '' }).then(
        () => new Error('opened'),
        (error: unknown) => error as Error,
      );
      expect(failure.message).not.toBe('opened');
      expect(`${failure.message} ${failure.stack} ${JSON.stringify(failure)}`).not.toContain('hunter2');
    },
  );
});
