// The way back from a sign-in to the host application's OIDC authorization: the /oidc
// interaction sends the browser to /sso or /login with this cookie (the interaction's uid and
// when it sent them), and the route that completes the sign-in redirects back to the interaction
// instead of showing its "Signed in" page. The interaction then knows the session is the sign-in
// it asked for (made after that time), and clears the cookie when it finishes. Only a uid is
// kept, never a URL, so nothing here can redirect elsewhere.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { interactionPath } from '../../identity-provider/provider.ts'
import { FLOW_TTL_SECONDS } from '../../sso/connections.ts'

export const OIDC_RETURN_COOKIE = 'rollcall_oidc_return'

const VALUE = /^([\w-]{1,64})\.(\d{1,15})$/

function options(config: Config) {
  return {
    path: '/',
    httpOnly: true,
    secure: config.sessions.secureCookies,
    sameSite: 'lax' as const,
  }
}

export interface OidcReturn {
  readonly uid: string
  /** When the interaction sent the browser to sign in (ms since the epoch). */
  readonly sentAt: number
}

export function readOidcReturn(request: FastifyRequest): OidcReturn | undefined {
  const match = VALUE.exec(request.cookies[OIDC_RETURN_COOKIE] ?? '')
  return match?.[1] && match[2] ? { uid: match[1], sentAt: Number(match[2]) } : undefined
}

export function setOidcReturn(
  reply: FastifyReply,
  config: Config,
  uid: string,
  now = Date.now(),
): void {
  reply.setCookie(OIDC_RETURN_COOKIE, `${uid}.${now}`, {
    ...options(config),
    maxAge: FLOW_TTL_SECONDS,
  })
}

/** The Set-Cookie header that clears it, for replies that oidc-provider writes itself. */
export function clearedOidcReturn(request: FastifyRequest, config: Config): string {
  return request.server.serializeCookie(OIDC_RETURN_COOKIE, '', {
    ...options(config),
    expires: new Date(0),
  })
}

/**
 * After a completed sign-in: the redirect back to the pending OIDC interaction, or undefined when
 * none waits (the route then shows its own page).
 */
export function returnToOidc(
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply | undefined {
  const back = readOidcReturn(request)
  if (!back) return undefined
  return reply.code(303).header('cache-control', 'no-store').redirect(interactionPath(back.uid))
}
