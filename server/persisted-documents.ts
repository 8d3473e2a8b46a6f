/**
 * Persisted documents: the demo's generated operations (GraphQL Code Generator's client preset writes them
 * to `web-demo/generated/persisted-documents.json`, keyed `sha256:<hash>`), sent by id instead of text.
 * With PERSISTED_ONLY=true nothing else runs, so a client can only send the operations that shipped with it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const PERSISTED_DOCUMENTS_FILE = resolve(
  import.meta.dirname,
  '../web-demo/generated/persisted-documents.json',
);

const NOT_FOUND = {
  message: 'PersistedQueryNotFound: no persisted document has that id',
  extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
};
const ONLY = {
  message: 'PersistedQueryOnly: this server runs persisted documents only; send a documentId',
  extensions: { code: 'PERSISTED_QUERY_ONLY' },
};

const MISSING = { message: 'a request needs a query or a documentId', extensions: { code: 'BAD_REQUEST' } };

function documentIdOf(params: object): string | null {
  const id = (params as { documentId?: unknown }).documentId;
  return typeof id === 'string' ? id : null;
}

export class PersistedDocuments {
  private readonly byId: ReadonlyMap<string, string>;

  constructor(
    readonly only: boolean,
    file = PERSISTED_DOCUMENTS_FILE,
  ) {
    this.byId = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>));
  }

  /** Yoga's plugin for HTTP and SSE: `documentId` names a persisted document. */
  plugin(): Plugin {
    return usePersistedOperations({
      getPersistedOperation: (id) => this.byId.get(id) ?? null,
      extractPersistedOperationId: documentIdOf,
      allowArbitraryOperations: !this.only,
      customErrors: {
        notFound: NOT_FOUND,
        persistedQueryOnly: ONLY,
        keyNotFound: this.only ? ONLY : MISSING,
      },
    });
  }

  /**
   * The text of a graphql-ws operation (graphql-ws always carries `query`, so a persisted one sends it empty
   * beside its `documentId`), or the error that refuses it.
   */
  queryOf(params: { query: string; documentId?: unknown }): string | GraphQLError {
    if (typeof params.documentId === 'string') {
      return (
        this.byId.get(params.documentId) ??
        new GraphQLError('PersistedQueryNotFound', {
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
        })
      );
    }
    if (this.only) {
      return new GraphQLError('PersistedQueryOnly', { extensions: { code: 'PERSISTED_QUERY_ONLY' } });
    }
    return params.query;
  }
}
