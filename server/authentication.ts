/**
 * Who a request comes from: a JWT bearer token verified with jose, against an HS256 secret or an identity
 * provider's JWKS, issuer and audience checked when set. `sub` is the customer id, `role` the caller's role.
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { ANONYMOUS, type Caller, ROLES, type Role, SYSTEM } from '../common/access';
import type { AuthSettings } from '../common/config';
import { REQUEST_LIMITS, TEXT_LIMITS } from '../common/limits';
import { textProblem } from '../common/validation';

/** The token is there but not good: forged, expired, for another audience, or malformed. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** The caller of a request from its Authorization header (or graphql-ws `connectionParams.authorization`). */
export type Authenticate = (authorization: string | null | undefined) => Promise<Caller>;

/** `npm run server` must not run open by accident: it needs a way to verify tokens, or AUTH_DISABLED=true. */
export function checkAuthSettings(settings: AuthSettings): void {
  if (settings.disabled || settings.jwtSecret || settings.jwksUrl) return;
  throw new Error(
    'authentication is not configured: set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (your identity ' +
      "provider's keys), or AUTH_DISABLED=true to let every caller do everything",
  );
}

function roleOf(claim: unknown): Role {
  if (claim === undefined) return 'customer';
  if (ROLES.includes(claim as Role)) return claim as Role;
  throw new AuthenticationError(`unknown role "${String(claim).slice(0, 40)}"`);
}

/** A token's `sub` is a customer id, bounded like any other (it becomes a search attribute and a column). */
export function subjectProblem(subject: unknown): string | null {
  return textProblem('sub', subject ?? '', TEXT_LIMITS.customerId);
}

function callerOf(payload: JWTPayload): Caller {
  const problem = subjectProblem(payload.sub);
  if (problem) throw new AuthenticationError(`the token's ${problem}`);
  return { kind: 'user', subject: String(payload.sub), role: roleOf(payload.role) };
}

/**
 * How long a verified token is taken again without verifying it (never past its `exp`): a signature check costs as
 * much CPU as the rest of a small read, and clients send the same token with every request. A key taken out of the
 * identity provider's key set stops being trusted within this time.
 */
const VERIFIED_TOKEN_MS = 60_000;

/** How long `payload` may be remembered as verified: a minute, or less when it expires sooner. */
function trustedForMs(payload: JWTPayload): number {
  return payload.exp === undefined
    ? VERIFIED_TOKEN_MS
    : Math.min(VERIFIED_TOKEN_MS, payload.exp * 1000 - Date.now());
}

export function createAuthenticate(settings: AuthSettings): Authenticate {
  if (settings.disabled) return async () => SYSTEM;
  checkAuthSettings(settings);
  const key = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : new TextEncoder().encode(settings.jwtSecret);
  const options: JWTVerifyOptions = {
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: settings.jwksUrl ? undefined : ['HS256'],
  };
  const verified = new LRUCache<string, Caller>({
    max: REQUEST_LIMITS.verifiedTokens,
    ttl: VERIFIED_TOKEN_MS,
  });
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const token = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
    const known = verified.get(token);
    if (known) return known;
    const { payload } = await jwtVerify(token, key, options).catch((error: unknown) => {
      throw new AuthenticationError(`invalid token: ${(error as Error).message}`);
    });
    const caller = callerOf(payload);
    const ttl = trustedForMs(payload);
    if (ttl > 0) verified.set(token, caller, { ttl });
    return caller;
  };
}
