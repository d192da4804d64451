// The event feed (GET /api/v1/events): pages of the event log after a cursor, for one tenant or
// (operator keys) for all, optionally only some types; and the long poll that waits for the next
// commit. Cursors are event positions written as decimal strings: commit-ordered and never reused,
// so they stay valid across restarts and instances. Clients treat them as opaque.
import type { TenantId } from '../domain/ids.ts'
import { AppError } from '../errors.ts'
import type { StoredEvent, Store } from '../store/store.ts'

export const MAX_FEED_LIMIT = 500
export const DEFAULT_FEED_LIMIT = 100
export const MAX_WAIT_SECONDS = 30
/** Writers in other processes (the CLI on SQLite) wake no subscriber here: look again this often. */
export const RECHECK_MS = 1000

export interface FeedQuery {
  readonly after: number
  readonly limit: number
  readonly types?: readonly string[] | undefined
  /** One tenant's events; undefined: every tenant's (operator keys only). */
  readonly tenantId?: TenantId | undefined
}

export interface FeedPage {
  readonly events: readonly StoredEvent[]
  /** The cursor to ask from next time. */
  readonly after: number
}

const CURSOR = /^(0|[1-9][0-9]{0,15})$/

/** A cursor as a client sent it; invalid_request for anything that is not one of ours. */
export function parseCursor(text: string | undefined): number {
  if (text === undefined || text === '') return 0
  const position = CURSOR.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(position)) {
    throw AppError.invalidRequest(
      'after is not a cursor of this feed: pass the "after" of a previous answer, or nothing to start from the beginning.',
    )
  }
  return position
}

export function cursorOf(position: number): string {
  return String(position)
}

const TYPE = /^[a-z][a-z_]*(\.[a-z_]+)+$/

/** `types=a,b` as a list; invalid_request for something that is not an event type. */
export function parseTypes(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const types = text.split(',').map((type) => type.trim())
  if (types.length > 50 || types.some((type) => !TYPE.test(type) || type.length > 100)) {
    throw AppError.invalidRequest(
      'types is a comma-separated list of event types, e.g. user.created,user.deleted.',
    )
  }
  return [...new Set(types)]
}

/**
 * One page. When nothing follows the cursor, the answer's cursor moves up to the highest position
 * that was committed before the read (the tenant's head for a tenant), so a client filtering by
 * tenant or type does not scan the same skipped events again; it never moves past an event the
 * client could still be shown, because positions become visible in order.
 */
export async function readFeed(store: Store, query: FeedQuery): Promise<FeedPage> {
  const tenantEvents =
    query.tenantId === undefined ? undefined : store.forTenant(query.tenantId).events
  const head = await (tenantEvents ? tenantEvents.head() : store.events.head())
  const limit = Math.max(1, Math.min(MAX_FEED_LIMIT, Math.trunc(query.limit)))
  const request = { after: query.after, limit, types: query.types }
  const events = await (tenantEvents ? tenantEvents.after(request) : store.events.after(request))
  const last = events[events.length - 1]
  return { events, after: last ? last.position : Math.max(query.after, head) }
}

/** Bounds the requests waiting at once; over it, a long poll is refused. */
export class Waiters {
  private count = 0
  constructor(readonly max: number) {}
  enter(): boolean {
    if (this.count >= this.max) return false
    this.count++
    return true
  }
  leave(): void {
    this.count--
  }
  get waiting(): number {
    return this.count
  }
}

/**
 * The page after the cursor, waiting up to `waitMs` for one that is not empty: woken by the
 * store when events commit (in this process, or on PostgreSQL in any instance) and re-reading at
 * least every RECHECK_MS. Returns the empty page at the deadline or when `signal` aborts (the
 * client went away); never holds the subscription afterwards.
 */
export async function waitForFeed(
  store: Store,
  query: FeedQuery,
  options: { waitMs: number; signal: AbortSignal; waiters: Waiters; recheckMs?: number },
): Promise<FeedPage> {
  if (options.waitMs <= 0) return readFeed(store, query)
  if (!options.waiters.enter()) {
    throw AppError.unavailable('Too many requests are waiting for events; retry shortly.', 1)
  }
  const deadline = Date.now() + options.waitMs
  let wake: (() => void) | undefined
  let woken = false
  const poke = () => {
    woken = true
    wake?.()
  }
  // Subscribed before the first read: a commit between the read and the wait still wakes it.
  const unsubscribe = store.events.subscribe(poke)
  options.signal.addEventListener('abort', poke)
  try {
    let page = await readFeed(store, query)
    while (page.events.length === 0 && !options.signal.aborted) {
      const left = deadline - Date.now()
      if (left <= 0) break
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, options.recheckMs ?? RECHECK_MS))
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = undefined
      }
      woken = false
      if (options.signal.aborted) break
      page = await readFeed(store, query)
    }
    return page
  } finally {
    unsubscribe()
    options.signal.removeEventListener('abort', poke)
    options.waiters.leave()
  }
}

/**
 * The answer's JSON text, built around the stored bodies so they go out byte for byte as they
 * were written (the bytes webhooks sign).
 */
export function feedJson(page: FeedPage): string {
  return `{"data":[${page.events.map((event) => event.body).join(',')}],"after":"${cursorOf(page.after)}"}`
}
