// The one way the console talks to Rollcall: JSON over fetch, same origin, cookies of the
// session. Every state-changing request says Content-Type: application/json, bodiless ones too
// (the admin API's CSRF rule); every error becomes an ApiError carrying the problem's detail.
import type { Problem } from './types.ts'

export class ApiError extends Error {
  readonly status: number
  readonly code: string | undefined
  readonly detail: string

  constructor(status: number, problem: Problem) {
    const detail = problem.detail ?? problem.title ?? `The server answered ${status}.`
    super(detail)
    this.name = 'ApiError'
    this.status = status
    this.code = problem.code
    this.detail = detail
  }
}

type Listener = () => void
const onUnauthenticated = new Set<Listener>()

/** Called when any request answers 401: the session ended (signed out elsewhere, expired). */
export function whenUnauthenticated(listener: Listener): () => void {
  onUnauthenticated.add(listener)
  return () => onUnauthenticated.delete(listener)
}

export interface RequestOptions {
  /** Do not tell the listeners about a 401 (the session probe and the sign-in itself). */
  readonly quiet401?: boolean
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  } catch {
    throw new ApiError(0, {
      detail: 'Rollcall could not be reached. Check that the server is running, then retry.',
    })
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) onUnauthenticated.forEach((l) => l())
    const problem: Problem =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as Problem)
        : { detail: `The server answered ${response.status} ${response.statusText}.` }
    throw new ApiError(response.status, problem)
  }
  return parsed as T
}

/** The path of a tenant's admin API resource: /api/tenants/<slug>/<rest>. */
export function tenantPath(tenant: string, ...rest: string[]): string {
  return ['/api/tenants', tenant, ...rest]
    .map((p, i) => (i === 0 ? p : encodeURIComponent(p)))
    .join('/')
}

/** The message to show for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail
  if (error instanceof Error) return error.message
  return String(error)
}
