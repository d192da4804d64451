// The one error type a SCIM client can see (RFC 7644 §3.12). Imports nothing, so every layer may
// throw it; http/plugins/scim-errors.ts maps it to the wire once.

/** The closed set of `scimType` values of RFC 7644 §3.12, table 9. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'

export class ScimError extends Error {
  readonly status: number
  readonly scimType: ScimType | undefined
  readonly detail: string
  /** Extra response headers (e.g. Retry-After on 429/503). */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: number,
    detail: string,
    scimType?: ScimType,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ScimError'
    this.status = status
    this.scimType = scimType
    this.detail = detail
    this.headers = options.headers ?? {}
  }

  static invalidFilter(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidFilter')
  }
  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidSyntax')
  }
  static invalidPath(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidPath')
  }
  static invalidValue(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidValue')
  }
  static noTarget(detail: string): ScimError {
    return new ScimError(400, detail, 'noTarget')
  }
  static mutability(detail: string): ScimError {
    return new ScimError(400, detail, 'mutability')
  }
  static tooMany(detail: string): ScimError {
    return new ScimError(400, detail, 'tooMany')
  }
  static invalidVersion(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidVers')
  }
  static sensitive(detail: string): ScimError {
    return new ScimError(403, detail, 'sensitive')
  }
  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness')
  }
  static unauthorized(detail: string): ScimError {
    return new ScimError(401, detail)
  }
  static forbidden(detail: string): ScimError {
    return new ScimError(403, detail)
  }
  static notFound(resourceType: string, id: string): ScimError {
    return new ScimError(404, `${resourceType} "${id}" not found`)
  }
  static preconditionFailed(detail: string): ScimError {
    return new ScimError(412, detail)
  }
  static payloadTooLarge(detail: string): ScimError {
    return new ScimError(413, detail)
  }
  static notImplemented(detail: string): ScimError {
    return new ScimError(501, detail)
  }
  static unavailable(detail: string, retryAfterSeconds: number): ScimError {
    return new ScimError(503, detail, undefined, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    })
  }
}

export function isScimError(error: unknown): error is ScimError {
  return error instanceof ScimError
}
