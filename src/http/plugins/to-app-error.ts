// The one mapping of thrown values to the error catalogue (src/errors.ts): application errors pass
// through, store conditions and Fastify's refusals become catalogue errors, anything else is
// `internal` (its message is never sent). Each surface words the framework's refusals for its
// own clients (SCIM, admin API, pages) through a FrameworkWording; the codes are the same.
import type { FastifyError, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import { StoreUnavailable } from '../../store/store.ts'

/** What a surface tells its clients about each framework refusal. */
export interface FrameworkWording {
  /** The store is unreachable (503). */
  readonly unavailable: string
  /** FST_ERR_CTP_BODY_TOO_LARGE (413). */
  readonly bodyTooLarge: string
  /** FST_ERR_CTP_INVALID_MEDIA_TYPE (415). */
  readonly unsupportedMediaType: string
  /** FST_ERR_CTP_EMPTY_JSON_BODY (400), given the framework's message. */
  readonly emptyJsonBody: (message: string) => string
  /** FST_ERR_CTP_INVALID_CONTENT_LENGTH (400). */
  readonly invalidContentLength: (message: string) => string
  /** A body that is not JSON (SyntaxError) or another framework 400. */
  readonly invalidJson: (message: string) => string
  /** A request that fails its route's JSON schema (400). */
  readonly validation: (message: string) => string
}

/** Turns any thrown value into the catalogue error the client sees. */
export function toAppError(error: unknown, wording: FrameworkWording): AppError {
  if (error instanceof AppError) return error
  if (error instanceof StoreUnavailable) return AppError.unavailable(wording.unavailable, 5, error)
  const e = error as Partial<FastifyError> | null | undefined
  const message = e?.message ?? ''
  if (e?.validation) return AppError.invalidRequest(wording.validation(message), error)
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return AppError.payloadTooLarge(wording.bodyTooLarge, error)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return AppError.unsupportedMediaType(wording.unsupportedMediaType, error)
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return AppError.invalidRequest(wording.emptyJsonBody(message), error)
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return AppError.invalidRequest(wording.invalidContentLength(message), error)
  }
  if (error instanceof SyntaxError || e?.statusCode === 400) {
    return AppError.invalidRequest(wording.invalidJson(message), error)
  }
  if (typeof e?.statusCode === 'number' && e.statusCode < 500) {
    return AppError.fromFrameworkStatus(e.statusCode, e.message ?? 'Bad request', error)
  }
  // A UniqueViolation that reaches here escaped the service that should have named the conflict:
  // a bug, answered and logged as one.
  return AppError.internal(error)
}

/** Logs what the client is not told: internal errors in full, an unreachable store briefly. */
export function logFailure(
  request: FastifyRequest,
  appError: AppError,
  original: unknown,
  message: string,
): void {
  if (appError.status === 503) request.log.warn({ err: original }, 'store unavailable')
  else if (appError.status >= 500) request.log.error({ err: original }, message)
}
