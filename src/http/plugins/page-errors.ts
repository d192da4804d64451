// The HTML pages' error renderer (/sso, and /login in a browser): a page with the catalogue's
// title and what to do. Anything unexpected becomes a 500 page naming the request id; the
// original is logged with it, never shown.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, type AppError, type ErrorCode } from '../../errors.ts'
import { html, sendPage, type Html } from '../pages.ts'
import { logFailure, toAppError, type FrameworkWording } from './to-app-error.ts'

const PAGE_WORDING: FrameworkWording = {
  unavailable: 'The service is briefly unavailable. Try again in a few seconds.',
  bodyTooLarge: 'The form is too large to be sent.',
  unsupportedMediaType: 'Send the form from the page of this site.',
  emptyJsonBody: () => 'The request is empty.',
  invalidContentLength: () => 'The request was cut short; send it again.',
  invalidJson: () => 'The request could not be read; send it again.',
  validation: (message) => `The request is not valid: ${message}.`,
}

/** What to do, after the detail, where the detail alone does not say it. */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  cross_site_request: 'Open the sign-in page of this site and submit the form from there.',
}

/** The page of a catalogue error. */
export function sendErrorPage(
  reply: FastifyReply,
  request: FastifyRequest,
  error: AppError,
): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  const body =
    error.code === 'internal'
      ? html`<p class="error">
          An internal error occurred (request ${request.id}). It has been logged; try again later.
        </p>`
      : html`<p class="error">
          ${error.detail}${NEXT_STEP[error.code] ? ` ${NEXT_STEP[error.code]}` : ''}
        </p>`
  return sendPage(reply, error.status, ERRORS[error.code].title, body)
}

/** The page answer to any thrown value. */
export function renderPageError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const appError = toAppError(error, PAGE_WORDING)
  logFailure(request, appError, error, 'page request failed')
  return sendErrorPage(reply, request, appError)
}

export interface PageErrorHandlerOptions {
  /** The page of an unknown path in the scope. */
  readonly notFound: Html
}

export function registerPageErrorHandler(
  app: FastifyInstance,
  options: PageErrorHandlerOptions,
): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    renderPageError(error, request, reply),
  )
  app.setNotFoundHandler((_request, reply) => sendPage(reply, 404, 'Not found', options.notFound))
}
