// Session cookies and the same-origin check shared by the /api, /login and /sso scopes.
//
// CSRF: state-changing requests (POST, PUT, PATCH, DELETE) are accepted only from this origin,
// told by the browser itself: `Sec-Fetch-Site` must be `same-origin` when present, and `Origin`
// must equal PUBLIC_URL's origin when present. Browsers send at least one of them on every
// cross-site POST, and a page cannot forge either. One exception: under this site's
// `Referrer-Policy: no-referrer` browsers send `Origin: null` on their same-origin form posts and
// fetch() calls (Fetch standard, "append a request Origin header"), so `null` is accepted when
// `Sec-Fetch-Site: same-origin` vouches for the request. A request with neither is not from a browser
// (curl, scripts), which cannot ride on a victim's cookies. SameSite=Lax on the cookie is a second
// layer; a third: every state-changing /api request, bodiless ones (logout) included, must say
// Content-Type: application/json, which no form can send and a cross-site fetch() can send only
// after a CORS preflight that Rollcall never grants.
import type { SerializeOptions } from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'
import { newSecretToken } from '../../credentials/one-time-tokens.ts'
import { FLOW_TTL_SECONDS } from '../../sso/connections.ts'
import { BINDING_COOKIE } from '../../sso/login.ts'
import { resolveSession, SESSION_COOKIE } from '../../sessions/sessions.ts'
import type { SessionView, Store } from '../../store/store.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** undefined when the request may change state, else why not. */
export function crossSiteReason(request: FastifyRequest, publicUrl: string): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined
  const site = request.headers['sec-fetch-site']
  if (typeof site === 'string' && site !== 'same-origin') {
    return `Cross-site request refused (Sec-Fetch-Site: ${site}).`
  }
  const origin = request.headers.origin
  const isSameOriginNull = origin === 'null' && site === 'same-origin'
  if (typeof origin === 'string' && origin !== new URL(publicUrl).origin && !isSameOriginNull) {
    return `Cross-site request refused (Origin ${origin} is not ${new URL(publicUrl).origin}).`
  }
  return undefined
}

/** undefined when a state-changing /api request says it is JSON, else why it is refused (415). */
export function nonJsonReason(request: FastifyRequest): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined
  const given = String(request.headers['content-type'] ?? '')
  const mediaType = given.split(';')[0]?.trim().toLowerCase() ?? ''
  if (mediaType === 'application/json') return undefined
  return (
    `Send ${request.method} requests with Content-Type: application/json ` +
    `(got ${mediaType === '' ? 'none' : mediaType.slice(0, 100)}); the body may be empty.`
  )
}

function cookieOptions(config: Config, path = '/'): SerializeOptions {
  return { path, httpOnly: true, secure: config.sessions.secureCookies, sameSite: 'lax' }
}

export function setSessionCookie(reply: FastifyReply, config: Config, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    ...cookieOptions(config),
    maxAge: config.sessions.absoluteSeconds,
  })
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config))
}

/** The Set-Cookie header that clears the session cookie, for replies written without Fastify. */
export function clearedSessionCookie(app: FastifyInstance, config: Config): string {
  return app.serializeCookie(SESSION_COOKIE, '', {
    ...cookieOptions(config),
    expires: new Date(0),
  })
}

/**
 * The browser binding of SSO flows (see sso/login.ts): reuses the browser's value when it has
 * one, so flows started in two tabs both finish.
 */
export function ssoBinding(request: FastifyRequest, reply: FastifyReply, config: Config): string {
  const existing = request.cookies[BINDING_COOKIE]
  const binding = existing && /^[\w-]{43}$/.test(existing) ? existing : newSecretToken()
  reply.setCookie(BINDING_COOKIE, binding, {
    ...cookieOptions(config, '/sso'),
    maxAge: FLOW_TTL_SECONDS,
  })
  return binding
}

/** The live session of the request's cookie (checked against the database on every call). */
export function sessionOf(
  request: FastifyRequest,
  config: Config,
  store: Store,
): Promise<SessionView | undefined> {
  return resolveSession(store, config.sessions, request.cookies[SESSION_COOKIE])
}
