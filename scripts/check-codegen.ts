/** Fails when web-demo/generated/ is not what `npm run codegen` makes from the current SDL and operations. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
if (stale.length > 0) {
  console.error(`stale generated client: ${stale.join(', ')}; run \`npm run codegen\` and commit it`);
  process.exit(1);
}
console.log(`web-demo/generated is current (${files.length} files)`);
