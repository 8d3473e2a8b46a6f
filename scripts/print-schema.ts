/** Prints the schema to schema/schema.graphql; with --check, fails when the committed file is stale. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printSchema } from 'graphql';
import { schema } from '../schema';

const target = resolve(import.meta.dirname, '../schema/schema.graphql');
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('schema/schema.graphql is stale: run `npm run schema:print` and commit it');
    process.exit(1);
  }
  console.log('schema/schema.graphql is current');
} else {
  await writeFile(target, printed);
  console.log(`wrote ${target}`);
}
