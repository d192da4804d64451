// The way back from a sign-in to the host application's OIDC authorization: the /oidc
// interaction sends the browser to /sso or /login with this cookie (the interaction's uid), and
// the route that completes the sign-in redirects back to the interaction instead of showing its
// "Signed in" page. Only a uid is kept, never a URL, so nothing here can redirect elsewhere.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { interactionPath } from '../../identity-provider/provider.ts'
import { FLOW_TTL_SECONDS } from '../../sso/connections.ts'

export const OIDC_RETURN_COOKIE = 'rollcall_oidc_return'

const UID = /^[\w-]{1,64}$/

function options(config: Config) {
  return {
    path: '/',
    httpOnly: true,
    secure: config.sessions.secureCookies,
    sameSite: 'lax' as const,
  }
}

export function setOidcReturn(reply: FastifyReply, config: Config, uid: string): void {
  reply.setCookie(OIDC_RETURN_COOKIE, uid, { ...options(config), maxAge: FLOW_TTL_SECONDS })
}

export function clearOidcReturn(reply: FastifyReply, config: Config): void {
  reply.clearCookie(OIDC_RETURN_COOKIE, options(config))
}

/**
 * After a completed sign-in: the redirect back to the pending OIDC interaction, or undefined when
 * none waits (the route then shows its own page).
 */
export function returnToOidc(
  request: FastifyRequest,
  reply: FastifyReply,
  config: Config,
): FastifyReply | undefined {
  const uid = request.cookies[OIDC_RETURN_COOKIE]
  if (!uid || !UID.test(uid)) return undefined
  clearOidcReturn(reply, config)
  return reply
    .code(303)
    .header('cache-control', 'no-store')
    .redirect(`${interactionPath(uid)}?returned=1`)
}
