// What the server log (pino, through Fastify) may show of a request: one-time tokens in paths
// (/login/set-password/<token>, /sso/verify/<token>), OIDC `code`/`state` and SCIM `filter` values
// (they carry emails) are masked, in the request serializer and in every line written.
import type { FastifyRequest } from 'fastify'

export const REDACTED = '[redacted]'

// The segment after these is a one-time token (login/index.ts, sso/index.ts).
const TOKEN_SEGMENTS: ReadonlySet<string> = new Set(['set-password', 'verify'])

// OIDC callback (`code`, `state`, `session_state`, tokens of implicit-style replies), SCIM
// `filter` (userName eq "someone@…"), and `q`, the email typed on /sso.
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'code',
  'state',
  'session_state',
  'id_token',
  'access_token',
  'refresh_token',
  'token',
  'client_secret',
  'password',
  'filter',
  'q',
])

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/**
 * The request target with one-time tokens and secret query values replaced by `[redacted]`:
 * `/sso/verify/abc` -> `/sso/verify/[redacted]`, `/sso/callback?code=x&state=y` ->
 * `/sso/callback?code=[redacted]&state=[redacted]`, `…/Users?filter=…` -> `…?filter=[redacted]`.
 * Segments and parameter names are compared percent-decoded and case-insensitively, as the
 * router and the query parser would read them.
 */
export function redactUrl(url: string): string {
  const question = url.indexOf('?')
  const path = question === -1 ? url : url.slice(0, question)
  const query = question === -1 ? undefined : url.slice(question + 1)
  const segments = path.split('/')
  const tokenAt = segments.findIndex((segment) => TOKEN_SEGMENTS.has(decode(segment).toLowerCase()))
  const maskedPath =
    tokenAt === -1 || tokenAt === segments.length - 1
      ? path
      : [...segments.slice(0, tokenAt + 1), REDACTED].join('/')
  if (query === undefined) return maskedPath
  const maskedQuery = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=')
      const name = equals === -1 ? pair : pair.slice(0, equals)
      return SECRET_PARAMS.has(decode(name).trim().toLowerCase()) ? `${name}=${REDACTED}` : pair
    })
    .join('&')
  return `${maskedPath}?${maskedQuery}`
}

// In a JSON log line an escaped quote or backslash belongs to the value; an unescaped `"` or an
// escaped control character (`\n` of a stack) ends it, so the line stays valid JSON.
const ESCAPED = String.raw`\\["\\/]`
const TOKEN_IN_TEXT = new RegExp(
  String.raw`(/(?:set-password|verify)/)(?:[^\s"\\/?#&]|${ESCAPED})+`,
  'gi',
)
const PARAM_IN_TEXT = new RegExp(
  String.raw`([?&](?:${[...SECRET_PARAMS].join('|')})=)(?:[^\s"\\&#]|${ESCAPED})*`,
  'gi',
)

/**
 * One serialized log line with tokens and secret query values masked wherever a URL appears:
 * messages Fastify interpolates (`Route GET:/sso/verify/… not found`), error messages and
 * stacks. Keeps the line valid JSON (stops at an unescaped quote). Idempotent.
 */
export function redactLogText(line: string): string {
  return line.replace(TOKEN_IN_TEXT, `$1${REDACTED}`).replace(PARAM_IN_TEXT, `$1${REDACTED}`)
}

/** Fastify's request serializer (lib/logger-pino.js) with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

/**
 * The pino options of `buildApp`: `given` (false for none; an object of pino options, e.g. a
 * `stream`, from tests) over `{ level }`, with the redacting request serializer and line hook.
 */
export function loggerOptions(
  level: string,
  given: boolean | Record<string, unknown> | undefined,
): false | Record<string, unknown> {
  if (given === false) return false
  const options: Record<string, unknown> = { level, ...(given === true ? {} : given) }
  return {
    ...options,
    serializers: { ...(options.serializers as object | undefined), req: serializeRequest },
    hooks: { ...(options.hooks as object | undefined), streamWrite: redactLogText },
  }
}
