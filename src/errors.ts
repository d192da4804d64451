// The one catalogue of application errors: a stable code, the HTTP status it maps to and a title,
// as documented in docs/errors.md. Services throw AppError and know no HTTP status; each surface
// renders it once (http/plugins/scim-errors.ts, api-errors.ts, page-errors.ts).

/** One entry of the catalogue. */
export interface ErrorSpec {
  /** The HTTP status every surface answers with. */
  readonly status: number
  /** A short human title (the heading of an HTML error page). */
  readonly title: string
  /** The detail when the thrower gives none. */
  readonly message: string
}

export const ERRORS = {
  invalid_request: {
    status: 400,
    title: 'Invalid request',
    message: 'The request is not valid.',
  },
  weak_password: {
    status: 400,
    title: 'Password too weak',
    message: 'The password is too weak.',
  },
  unauthenticated: {
    status: 401,
    title: 'Sign in first',
    message: 'Sign in first: no valid session (it may have expired or been revoked).',
  },
  invalid_credentials: {
    status: 401,
    title: 'Wrong sign-in details',
    message: 'The sign-in details are wrong.',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    message: 'You may not do this.',
  },
  cross_site_request: {
    status: 403,
    title: 'Request refused',
    message: 'Cross-site request refused.',
  },
  not_found: {
    status: 404,
    title: 'Not found',
    message: 'Not found.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    message: 'The change conflicts with the current state; read it again and retry.',
  },
  domain_taken: {
    status: 409,
    title: 'Domain taken',
    message: 'The domain is verified by another organisation.',
  },
  scim_controlled: {
    status: 409,
    title: 'Controlled by SCIM',
    message: 'This record is controlled by SCIM: change it in the identity provider.',
  },
  link_expired: {
    status: 410,
    title: 'This link is no longer valid',
    message: 'This link was used or has expired.',
  },
  payload_too_large: {
    status: 413,
    title: 'Request too large',
    message: 'The request body is too large.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    message: 'Send the request body as application/json.',
  },
  domain_not_verified: {
    status: 422,
    title: 'Domain not verified',
    message: 'The domain could not be verified.',
  },
  too_many_attempts: {
    status: 429,
    title: 'Too many attempts',
    message: 'Too many failed attempts; try again later.',
  },
  internal: {
    status: 500,
    title: 'Something went wrong',
    message: 'An internal error occurred. It has been logged; retry later.',
  },
  idp_discovery_failed: {
    status: 502,
    title: 'The identity provider could not be reached',
    message: 'The identity provider could not be reached.',
  },
  unavailable: {
    status: 503,
    title: 'Try again shortly',
    message: 'The database is temporarily unavailable; retry shortly.',
  },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

export interface AppErrorOptions {
  readonly cause?: unknown
  /** Response headers that go with the error (Retry-After). */
  readonly headers?: Readonly<Record<string, string>>
}

// Keeps a framework-reported status out of reach of services (see fromFrameworkStatus).
const FRAMEWORK_STATUS = Symbol('frameworkStatus')

/** An error a client may see: a catalogue code and a detail saying what to do. */
export class AppError extends Error {
  readonly code: ErrorCode
  /** The catalogue's status, or the 4xx a framework error reported (see fromFrameworkStatus). */
  readonly status: number
  readonly detail: string
  readonly headers: Readonly<Record<string, string>>

  constructor(code: ErrorCode, detail?: string, options: AppErrorOptions = {}) {
    const text = detail ?? ERRORS[code].message
    super(text, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status =
      (options as { [FRAMEWORK_STATUS]?: number })[FRAMEWORK_STATUS] ?? ERRORS[code].status
    this.detail = text
    this.headers = options.headers ?? {}
  }

  /**
   * A framework refusal with a client status the catalogue does not name (e.g. a plugin's 404),
   * kept as `invalid_request` with that status. Only the framework mapping uses it.
   */
  static fromFrameworkStatus(status: number, detail: string, cause?: unknown): AppError {
    const options = { cause, [FRAMEWORK_STATUS]: status } as AppErrorOptions
    return new AppError('invalid_request', detail, options)
  }

  static invalidRequest(detail: string, cause?: unknown): AppError {
    return new AppError('invalid_request', detail, { cause })
  }
  static weakPassword(detail: string): AppError {
    return new AppError('weak_password', detail)
  }
  static unauthenticated(detail?: string): AppError {
    return new AppError('unauthenticated', detail)
  }
  static invalidCredentials(detail: string): AppError {
    return new AppError('invalid_credentials', detail)
  }
  static forbidden(detail: string): AppError {
    return new AppError('forbidden', detail)
  }
  static crossSiteRequest(detail: string): AppError {
    return new AppError('cross_site_request', detail)
  }
  static notFound(detail: string): AppError {
    return new AppError('not_found', detail)
  }
  static conflict(detail: string): AppError {
    return new AppError('conflict', detail)
  }
  static domainTaken(detail: string): AppError {
    return new AppError('domain_taken', detail)
  }
  /** D8, G4: the identity provider controls this user or membership; the detail says where. */
  static scimControlled(detail: string): AppError {
    return new AppError('scim_controlled', detail)
  }
  static linkExpired(detail: string): AppError {
    return new AppError('link_expired', detail)
  }
  static payloadTooLarge(detail: string, cause?: unknown): AppError {
    return new AppError('payload_too_large', detail, { cause })
  }
  static unsupportedMediaType(detail: string, cause?: unknown): AppError {
    return new AppError('unsupported_media_type', detail, { cause })
  }
  static domainNotVerified(detail: string): AppError {
    return new AppError('domain_not_verified', detail)
  }
  static tooManyAttempts(detail: string, retryAfterSeconds: number): AppError {
    return new AppError('too_many_attempts', detail, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    })
  }
  static idpDiscoveryFailed(detail: string): AppError {
    return new AppError('idp_discovery_failed', detail)
  }
  static unavailable(detail?: string, retryAfterSeconds = 5, cause?: unknown): AppError {
    return new AppError('unavailable', detail, {
      cause,
      headers: { 'retry-after': String(retryAfterSeconds) },
    })
  }
  /** Anything unexpected: the detail is fixed, the original goes to the log only. */
  static internal(cause?: unknown): AppError {
    return new AppError('internal', undefined, { cause })
  }
}
