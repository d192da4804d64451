// Maps every error in the SCIM scope to the RFC 7644 §3.12 error body, once. Anything that is not
// a ScimError (or a known framework/store condition) becomes a 500 with a fixed detail; the
// original is logged with the request id, never sent.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ScimError } from '../../scim/errors.ts'
import { ERROR_URN } from '../../scim/schemas/index.ts'
import { StoreUnavailable } from '../../store/store.ts'

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

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
  if (error instanceof StoreUnavailable) {
    return ScimError.unavailable(
      'The directory store is temporarily unavailable; retry shortly.',
      5,
    )
  }
  const fastifyError = error as Partial<FastifyError>
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ScimError.payloadTooLarge(
        `The request body is larger than the ${maxBodyBytes} bytes this server accepts. ` +
          'Send fewer operations or members per request.',
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScimError(
        415,
        'Unsupported Content-Type: send application/scim+json or application/json.',
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ScimError.invalidSyntax('The request body is empty; a JSON object was expected.')
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ScimError.invalidSyntax('The Content-Length header does not match the body.')
  }
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
    return ScimError.invalidSyntax(
      `The request body is not valid JSON: ${(error as Error).message}. Check quoting and commas.`,
    )
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return new ScimError(fastifyError.statusCode, fastifyError.message ?? 'Bad request')
  }
  return new ScimError(500, 'An internal error occurred. It has been logged; retry later.')
}

export function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(scimErrorBody(error))
}

export function registerScimErrorHandler(app: FastifyInstance, maxBodyBytes: number): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const scimError = toScimError(error, maxBodyBytes)
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
