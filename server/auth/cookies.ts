// The session cookie, and reading it from raw upgrade requests that bypass Fastify's parser.
import fastifyCookie from '@fastify/cookie';

export const SESSION_COOKIE = 'kizuki_session';

export interface CookieOptions {
  secure: boolean;
}

export function sessionCookieAttributes(expiresAt: Date, options: CookieOptions) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.secure,
    path: '/',
    expires: expiresAt,
  };
}

export function sessionTokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return fastifyCookie.parse(header)[SESSION_COOKIE] ?? undefined;
  } catch {
    return undefined;
  }
}
