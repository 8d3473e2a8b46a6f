/** Fails when web-demo/generated/ is not what `npm run codegen` makes from the current SDL and operations. */
import { readdir, readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen';

const root = resolve(import.meta.dirname, '..');
const files = (await generate({ ...config, cwd: root, silent: true }, false)) as {
  filename: string;
  content: string;
}[];
const stale: string[] = [];
for (const file of files) {
  const committed = await readFile(resolve(root, file.filename), 'utf8').catch(() => '');
  if (committed !== file.content) stale.push(file.filename);
}
const generated = new Set(files.map((file) => relative(root, resolve(root, file.filename))));
const committed = await readdir(resolve(root, 'web-demo/generated'));
for (const name of committed) {
  const path = `web-demo/generated/${name}`;
  if (!generated.has(path)) stale.push(`${path} (no longer generated)`);
}
if (stale.length > 0) {
  console.error(`stale generated client: ${stale.join(', ')}; run \`npm run codegen\` and commit it`);
  process.exit(1);
}
console.log(`web-demo/generated is current (${files.length} files)`);
