/**
 * Which browser origins may call the API: its own, and those in CORS_ORIGINS. The same rule answers CORS
 * for HTTP and admits WebSocket upgrades by their Origin header.
 */
import type { CORSOptions } from 'graphql-yoga';

/** Clients that are not browsers send no Origin; a browser's own page has the API's host. */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** CORS headers for an allowed other origin (credentials included); none for any other, so browsers refuse. */
export function corsFor(origin: string | null, allowed: readonly string[]): CORSOptions {
  if (!origin || !allowed.includes(origin)) return false;
  return {
    origin: [origin],
    credentials: true,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'x-graphql-yoga-csrf'],
  };
}
