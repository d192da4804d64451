// The one timed request of `npm run bench`: an undici Pool request with the body fully read, its
// status checked against what the request type expects, its latency recorded.
import type { Dispatcher, Pool } from 'undici'
import { recordResult, type OpStats } from './load.ts'

/** Where the requests go: a keep-alive pool on the origin, the path prefix and fixed headers. */
export interface Target {
  readonly pool: Pool
  /** e.g. `/scim/v2/bench`; `''` for the echo server. */
  readonly basePath: string
  readonly headers: Readonly<Record<string, string>>
}

export interface Reply {
  readonly ok: boolean
  readonly status: number
  readonly text: string
}

/** Returns an error message when a body with an expected status is still wrong, else null. */
export type BodyCheck = (text: string) => string | null

export interface SendOptions {
  readonly expected: readonly number[]
  readonly body?: unknown
  readonly check?: BodyCheck
  /** False for warm-up requests: sent but not recorded. */
  readonly record?: boolean
}

export async function send(
  target: Target,
  stats: OpStats,
  method: Dispatcher.HttpMethod,
  path: string,
  options: SendOptions,
): Promise<Reply> {
  const fullPath = `${target.basePath}${path}`
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  const started = performance.now()
  let status = 0
  let text: string
  let failure: string | null = null
  try {
    const response = await target.pool.request({
      method,
      path: fullPath,
      headers: target.headers,
      ...(payload === undefined ? {} : { body: payload }),
    })
    status = response.statusCode
    text = await response.body.text()
    if (!options.expected.includes(status)) {
      failure = `expected ${options.expected.join(' or ')}`
    } else if (options.check !== undefined) {
      failure = options.check(text)
    }
  } catch (error) {
    failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    text = failure
  }
  const latencyMs = performance.now() - started
  if (options.record !== false) {
    const error =
      failure === null
        ? undefined
        : {
            request: `${method} ${fullPath}${payload === undefined ? '' : ` ${payload.slice(0, 300)}`}`,
            status,
            body: status === 0 || text === '' ? failure : text,
          }
    recordResult(stats, latencyMs, status, error)
  }
  return { ok: failure === null, status, text }
}

/** A BodyCheck for creates: the body must be JSON with a string `id`. */
export function hasId(text: string): string | null {
  return idOf(text) === undefined ? 'response body has no string "id"' : null
}

/** The body as a JSON object, or undefined when it is not one. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

export function idOf(text: string): string | undefined {
  const id = parseObject(text)?.['id']
  return typeof id === 'string' ? id : undefined
}

/** A BodyCheck for Entra's matching queries: a ListResponse with `totalResults` equal to `n`. */
export function listOf(n: number): BodyCheck {
  return (text) => {
    const total = totalResultsOf(text)
    return total === n ? null : `expected a ListResponse with totalResults ${n}, got ${total}`
  }
}

export function totalResultsOf(text: string): number | undefined {
  const total = parseObject(text)?.['totalResults']
  return typeof total === 'number' ? total : undefined
}
