/** Serves the built demo page (web-demo/dist) at `/`; everything else goes on to the API. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { RequestHandler } from './app';

export const WEB_DEMO_DIST = resolve(import.meta.dirname, '../web-demo/dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export function webDemoHandler(distDir = WEB_DEMO_DIST): RequestHandler {
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/' && !path.startsWith('/assets/') && path !== '/favicon.svg') return false;
    const file = normalize(join(distDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(distDir) || !existsSync(file) || !statSync(file).isFile()) {
      if (path !== '/') return false;
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The demo page is not built: run `npm run build:demo` (npm run dev does it for you).\n');
      return true;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      // Vite puts a content hash in every asset's name; the page itself must be asked for again.
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : readFileSync(file));
    return true;
  };
}
