/**
 * Dev mode only (`npm run dev`): the HS256 secret kept in `.data/` so tokens survive a restart, and
 * `POST /dev/token` that signs a token for any role, so the demo page and GraphiQL users can sign in
 * without an identity provider. Never mounted by `npm run server`.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { ROLES, type Role } from '../common/access';
import type { AuthSettings } from '../common/config';
import type { RequestHandler } from './app';
import { subjectProblem } from './authentication';
import { keptOrCreated } from './kept-secret';
import { readBody } from './request-body';

export const DEV_TOKEN_PATH = '/dev/token';
const TOKEN_LIFETIME = '12h';

/** The secret in `file`, made once with 32 random bytes. */
export function devSecret(file: string): string {
  return keptOrCreated(file, () => randomBytes(32).toString('base64url'));
}

export function signDevToken(settings: AuthSettings, role: Role, subject: string): Promise<string> {
  const jwt = new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(TOKEN_LIFETIME);
  if (settings.issuer) jwt.setIssuer(settings.issuer);
  if (settings.audience) jwt.setAudience(settings.audience);
  return jwt.sign(new TextEncoder().encode(settings.jwtSecret));
}

/** A token request is a few dozen bytes. */
const MAX_BODY_BYTES = 1_000;

async function readJson(request: Parameters<RequestHandler>[0]): Promise<Record<string, unknown>> {
  const body = await readBody(request, MAX_BODY_BYTES);
  const parsed: unknown = JSON.parse(body || '{}');
  if (typeof parsed !== 'object' || parsed === null) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** `POST /dev/token` with `{ "role": "staff", "sub": "ada" }` answers `{ "token": "..." }`. */
export function devTokenHandler(settings: AuthSettings): RequestHandler {
  return (request, response) => {
    if (request.url !== DEV_TOKEN_PATH || request.method !== 'POST') return false;
    const answer = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    void readJson(request)
      .then(async (body) => {
        const role = (body.role ?? 'customer') as Role;
        const subject = String(body.sub ?? (role === 'customer' ? 'ada' : role));
        if (!ROLES.includes(role)) return answer(400, { error: `role must be one of ${ROLES.join(', ')}` });
        const problem = subjectProblem(subject);
        if (problem) return answer(400, { error: problem });
        answer(200, { token: await signDevToken(settings, role, subject), role, sub: subject });
      })
      .catch((error: unknown) => answer(400, { error: (error as Error).message }));
    return true;
  };
}
