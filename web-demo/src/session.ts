/**
 * Who the page acts as. In dev mode (`npm run dev`) the API signs tokens for any role at `/dev/token`, so a
 * person can try the demo as a customer, as staff or as admin; the token is kept for the tab's session.
 */
export type Role = 'customer' | 'staff' | 'admin';

export interface Session {
  token: string;
  role: Role;
  sub: string;
}

const KEY = 'orderflow.session';

/** The session kept for this tab, unless its token expires within a minute. */
export function savedSession(): Session | null {
  const saved = sessionStorage.getItem(KEY);
  if (!saved) return null;
  const session = JSON.parse(saved) as Session;
  const claims = JSON.parse(atob((session.token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')));
  return typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() + 60_000 ? session : null;
}

/** Asks the dev-only endpoint for a token; fails when the API does not run in dev mode. */
export async function signIn(role: Role, sub: string): Promise<Session> {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, sub }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<Session> & { error?: string };
  if (!response.ok || !body.token) {
    throw new Error(body.error ?? `sign-in is only offered by npm run dev (HTTP ${response.status})`);
  }
  const session = { token: body.token, role, sub };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** What each role may do, as the page tells it. */
export const ROLE_NOTES: Record<Role, string> = {
  customer: 'places, pays, cancels and returns their own orders, and sees only those',
  staff:
    'sees every order, decides audits and returns, cancels or asks for a return on a customer\u2019s behalf',
  admin: 'everything staff may do, and edits the catalogue',
};
