// The admin API's error renderer (/api, and /login answering JSON): RFC 9457 problem details as
// application/problem+json — type about:blank, the status phrase as title, status, detail, and the
// catalogue's stable `code` (docs/errors.md). Anything unexpected becomes a 500 with a fixed
// detail; the original is logged with the request id, never sent.
import { STATUS_CODES } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import { logFailure, toAppError, type FrameworkWording } from './to-app-error.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

/** The JSON schema of a problem details body, for routes that declare their error responses. */
export const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
  },
} as const

const API_WORDING: FrameworkWording = {
  unavailable: 'The database is temporarily unavailable; retry shortly.',
  bodyTooLarge: 'The request body is too large.',
  unsupportedMediaType: 'Send the request body as application/json.',
  emptyJsonBody: (message) => `The request body is not valid JSON: ${message}`,
  invalidContentLength: (message) => `The request body is not valid JSON: ${message}`,
  invalidJson: (message) => `The request body is not valid JSON: ${message}`,
  validation: (message) => `Invalid request: ${message}`,
}

export interface ProblemDetails {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
}

/** RFC 9457 §4.2.1: with type about:blank the title is the HTTP status phrase. */
export function problemOf(error: AppError): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.detail,
    code: error.code,
  }
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  return reply.code(error.status).type(PROBLEM_CONTENT_TYPE).send(problemOf(error))
}

/** The admin API's error answer to any thrown value. */
export function renderApiError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const appError = toAppError(error, API_WORDING)
  logFailure(request, appError, error, 'API request failed')
  return sendProblem(reply, appError)
}

export function apiNotFound(request: FastifyRequest): AppError {
  return AppError.notFound(`No API endpoint at ${request.method} ${request.url.split('?')[0]}.`)
}

export function registerApiErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    renderApiError(error, request, reply),
  )
  app.setNotFoundHandler((request, reply) => sendProblem(reply, apiNotFound(request)))
}
