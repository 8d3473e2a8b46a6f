import type { CodegenConfig } from '@graphql-codegen/cli';

/** The demo page's typed client, generated from the committed SDL and the operations the page uses. */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['web-demo/src/**/*.ts'],
  ignoreNoDocuments: false,
  generates: {
    'web-demo/generated/': {
      preset: 'client',
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true },
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
    },
  },
};

export default config;
