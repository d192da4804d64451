// The SCIM surface's error renderer: every error in the SCIM scope becomes the RFC 7644 §3.12
// body, once. ScimError is the protocol's own; catalogue errors (src/errors.ts) are converted to
// it. Anything unexpected becomes a 500 with a fixed detail; the original is logged with the
// request id, never sent.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../errors.ts'
import { ScimError, type ScimType } from '../../scim/errors.ts'
import { ERROR_URN } from '../../scim/schemas/index.ts'
import { toAppError, type FrameworkWording } from './to-app-error.ts'

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

function scimWording(maxBodyBytes: number): FrameworkWording {
  const invalidJson = (message: string) =>
    `The request body is not valid JSON: ${message}. Check quoting and commas.`
  return {
    unavailable: 'The directory store is temporarily unavailable; retry shortly.',
    bodyTooLarge:
      `The request body is larger than the ${maxBodyBytes} bytes this server accepts. ` +
      'Send fewer operations or members per request.',
    unsupportedMediaType:
      'Unsupported Content-Type: send application/scim+json or application/json.',
    emptyJsonBody: () => 'The request body is empty; a JSON object was expected.',
    invalidContentLength: () => 'The Content-Length header does not match the body.',
    invalidJson,
    validation: invalidJson,
  }
}

/** RFC 7644 §3.12: a 400 about the request itself is invalidSyntax; other codes carry none. */
function scimTypeOf(error: AppError): ScimType | undefined {
  return error.code === 'invalid_request' && error.status === 400 ? 'invalidSyntax' : undefined
}

export function scimErrorBody(error: ScimError): Record<string, unknown> {
  return {
    schemas: [ERROR_URN],
    status: String(error.status),
    ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
    detail: error.detail,
  }
}

/** Turns any thrown value into the ScimError the client sees. */
export function toScimError(error: unknown, maxBodyBytes: number): ScimError {
  if (error instanceof ScimError) return error
  const appError = toAppError(error, scimWording(maxBodyBytes))
  return new ScimError(appError.status, appError.detail, scimTypeOf(appError), {
    cause: appError,
    headers: { ...appError.headers },
  })
}

export function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(scimErrorBody(error))
}

export interface ScimErrorHandlerOptions {
  readonly maxBodyBytes: number
}

export function registerScimErrorHandler(
  app: FastifyInstance,
  options: ScimErrorHandlerOptions,
): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const scimError = toScimError(error, options.maxBodyBytes)
    if (scimError.status === 500) request.log.error({ err: error }, 'SCIM request failed')
    else if (scimError.status === 503) request.log.warn({ err: error }, 'store unavailable')
    return sendScimError(reply, scimError)
  })
  app.setNotFoundHandler((request, reply) =>
    sendScimError(
      reply,
      new ScimError(404, `No SCIM endpoint at ${request.method} ${request.url.split('?')[0]}.`),
    ),
  )
}
