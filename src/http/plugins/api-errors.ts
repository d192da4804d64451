// The one error type of the JSON surfaces (/api, /login as JSON): `{ error: { status, code,
// detail } }`, with a stable code and a detail an admin can act on. Anything unexpected becomes
// a 500 with a fixed detail; the original is logged with the request id, never sent.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DirectoryError } from '../../directory/internal.ts'
import { StoreUnavailable } from '../../store/store.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail)
    this.name = 'ApiError'
  }

  static unauthorized(
    detail = 'Sign in first: no valid session (it may have expired or been revoked).',
  ): ApiError {
    return new ApiError(401, 'unauthenticated', detail)
  }

  static forbidden(detail: string): ApiError {
    return new ApiError(403, 'forbidden', detail)
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof DirectoryError) return new ApiError(error.status, error.code, error.message)
  if (error instanceof StoreUnavailable) {
    return new ApiError(
      503,
      'unavailable',
      'The database is temporarily unavailable; retry shortly.',
      {
        'retry-after': '5',
      },
    )
  }
  const e = error as Partial<FastifyError>
  if (e.validation)
    return new ApiError(400, 'invalid_request', `Invalid request: ${e.message ?? ''}`)
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ApiError(415, 'unsupported_media_type', 'Send the request body as application/json.')
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new ApiError(413, 'payload_too_large', 'The request body is too large.')
  if (
    error instanceof SyntaxError ||
    e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    e.statusCode === 400
  ) {
    return new ApiError(
      400,
      'invalid_request',
      `The request body is not valid JSON: ${(error as Error).message}`,
    )
  }
  if (typeof e.statusCode === 'number' && e.statusCode < 500) {
    return new ApiError(e.statusCode, 'invalid_request', e.message ?? 'Bad request')
  }
  return new ApiError(
    500,
    'internal',
    'An internal error occurred. It has been logged; retry later.',
  )
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send({ error: { status: error.status, code: error.code, detail: error.detail } })
}

export function registerApiErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error)
    if (apiError.status >= 500) request.log.error({ err: error }, 'API request failed')
    return sendApiError(reply, apiError)
  })
  app.setNotFoundHandler((request, reply) =>
    sendApiError(
      reply,
      new ApiError(
        404,
        'not_found',
        `No API endpoint at ${request.method} ${request.url.split('?')[0]}.`,
      ),
    ),
  )
}
