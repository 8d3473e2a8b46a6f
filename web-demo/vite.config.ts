import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(import.meta.dirname),
  build: { outDir: resolve(import.meta.dirname, 'dist'), emptyOutDir: true },
  logLevel: 'warn',
  // `npm run dev:demo` serves the page with hot reload against an API already running (npm run dev).
  server: {
    proxy: { '/graphql': { target: process.env.ORDERFLOW_API ?? 'http://127.0.0.1:4000', ws: true } },
  },
});
