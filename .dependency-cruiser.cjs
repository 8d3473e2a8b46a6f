/**
 * The arrows between folders (README, "Layout"): common is the domain, database the read model and catalogue,
 * schema knows only those two's types through common and the interfaces its context declares, server composes,
 * worker never reaches into the API. `npm run check:boundaries` fails on an import that crosses the wrong way.
 */
const PROJECT = '^(common|database|schema|server|worker|scripts|bench|test|web-demo)/';

module.exports = {
  forbidden: [
    {
      name: 'common-is-the-domain',
      comment: 'common/ holds the domain and the workflow API; it depends on no other folder.',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: PROJECT, pathNot: '^common/' },
    },
    {
      name: 'database-depends-on-the-domain-only',
      severity: 'error',
      from: { path: '^database/' },
      to: { path: PROJECT, pathNot: '^(common|database)/' },
    },
    {
      name: 'schema-knows-the-domain-only',
      comment:
        'The schema reaches services through the interfaces in schema/context.ts, never Temporal or the database.',
      severity: 'error',
      from: { path: '^schema/' },
      to: { path: [PROJECT, '@temporalio/', '@mikro-orm/'], pathNot: '^(common|schema)/' },
    },
    {
      name: 'worker-never-imports-the-api',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^(schema|server|scripts|bench|test|web-demo)/' },
    },
    {
      name: 'only-the-embedded-stack-runs-a-worker-in-the-api',
      comment:
        'server/dev.ts (npm run dev) runs the worker in the API process; the rest of server/ does not.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/dev\\.ts$' },
      to: { path: '^worker/' },
    },
    {
      name: 'server-is-not-a-library-of-scripts',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(scripts|bench|test|web-demo/src)/' },
    },
    {
      name: 'workflows-import-activity-types-only',
      comment:
        'The workflow sandbox must not load activity code: proxyActivities<typeof activities> with type-only imports.',
      severity: 'error',
      from: { path: '^worker/workflows/' },
      to: { path: '^(worker/activities|database)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-never-reach-the-payload-codec',
      comment:
        'The payload codec (node:crypto) runs in the worker and the API, outside the workflow sandbox; workflows must not load it, even through another module.',
      severity: 'error',
      from: { path: '^worker/workflows/' },
      to: { path: ['^common/payload-codec\\.ts$', '^(node:)?crypto$'], reachable: true },
    },
    {
      name: 'tests-are-nobodys-library',
      comment: 'scripts/ and bench/ use the project modules, not test/support.',
      severity: 'error',
      from: { path: '^(common|database|schema|server|worker|scripts|bench|web-demo)/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^web-demo/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
