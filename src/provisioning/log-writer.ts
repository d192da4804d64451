// The provisioning log (SPEC §5, issue: every SCIM request recorded): entries are buffered and
// written in batches off the request path; old entries are pruned by age and count per tenant.
// Unauthenticated requests are summarised per source and window: a flood cannot push out the trail.
import type { TenantId } from '../domain/ids.ts'
import type { ProvisioningLogEntry, Store } from '../store/store.ts'
import { mayNeedRedaction, redactScimValue } from './redact.ts'

export interface LogWriterOptions {
  readonly retentionDays: number
  readonly maxRowsPerTenant: number
  readonly flushIntervalMs?: number
  readonly pruneIntervalMs?: number
  /** Unauthenticated requests of one source are summarised per window this long. Default 60 s. */
  readonly unauthenticatedWindowMs?: number
  /** Sources tracked at once; beyond, new ones share one "other sources" bucket per tenant. */
  readonly maxUnauthenticatedSources?: number
  /** Events (the event log) older than this many days are pruned with the logs; default 30. */
  readonly eventRetentionDays?: number
  readonly onError: (error: unknown) => void
  /** The clock, for tests. */
  readonly now?: () => number
}

/** The operation of a SCIM request refused for want of valid credentials (401). */
export const REFUSED_OPERATION = 'Authenticate'

/** The operation of an entry that is no request: D2 ended a membership here (memberships.ts). */
export const MEMBERSHIP_ENDED_OPERATION = 'Membership ended'

/** The source label of the bucket shared by sources beyond `maxUnauthenticatedSources`. */
export const OTHER_SOURCES = 'other sources'

/** The unauthenticated requests of one (tenant, source) since its first one was logged. */
interface UnauthenticatedWindow {
  readonly source: string
  readonly openedAt: number
  /** Requests after the first (which was logged as it came), not logged yet. */
  count: number
  firstCountedAt: number
  lastAt: number
  last: ProvisioningLogEntry | undefined
}

export class ProvisioningLogWriter {
  private buffer: ProvisioningLogEntry[] = []
  private flushing: Promise<void> | undefined
  private readonly flushTimer: NodeJS.Timeout
  private readonly pruneTimer: NodeJS.Timeout
  // Per instance: with N instances a flood spread over them writes up to N summaries per
  // (tenant, source, window), still bounded, and no request pays a database round trip to count.
  // Insertion order is opening order and every window is as long, so expired ones come first.
  private readonly unauthenticated = new Map<string, UnauthenticatedWindow>()
  private readonly windowMs: number
  private readonly maxSources: number
  private readonly now: () => number

  constructor(
    private readonly store: Store,
    private readonly options: LogWriterOptions,
  ) {
    this.flushTimer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 200)
    this.flushTimer.unref()
    this.pruneTimer = setInterval(() => void this.prune(), options.pruneIntervalMs ?? 10 * 60_000)
    this.pruneTimer.unref()
    this.windowMs = options.unauthenticatedWindowMs ?? 60_000
    this.maxSources = options.maxUnauthenticatedSources ?? 10_000
    this.now = options.now ?? Date.now
  }

  record(entry: ProvisioningLogEntry): void {
    this.buffer.push(entry)
    if (this.buffer.length >= 500) void this.flush()
  }

  /**
   * Records a request refused for want of valid credentials, from `source` (the client address).
   * The first one of a source in a window is logged as it comes; the next ones in the window are
   * counted and logged as one summary entry when the window closes (or on {@link close}).
   */
  recordUnauthenticated(entry: ProvisioningLogEntry, source: string): void {
    const now = this.now()
    let key = `${entry.tenantId} ${source}`
    let window = this.openWindow(key, now)
    if (window === undefined && this.unauthenticated.size >= this.maxSources) {
      key = `${entry.tenantId} ${OTHER_SOURCES}`
      source = OTHER_SOURCES
      window = this.openWindow(key, now)
    }
    if (window === undefined) {
      this.unauthenticated.set(key, {
        source,
        openedAt: now,
        count: 0,
        firstCountedAt: now,
        lastAt: now,
        last: undefined,
      })
      const seconds = Math.round(this.windowMs / 1000)
      const note =
        `from ${source}; further unauthenticated requests from it within ${seconds} s are ` +
        'counted in one entry'
      this.record({ ...entry, detail: entry.detail === null ? note : `${entry.detail} (${note})` })
      return
    }
    if (window.count === 0) window.firstCountedAt = now
    window.count += 1
    window.lastAt = now
    // Bounded per source whatever the flood sends: no bodies, a cut path.
    window.last = {
      ...entry,
      path: entry.path.slice(0, 512),
      requestBody: null,
      responseBody: null,
    }
  }

  /** Closes the window of `key` when it has expired; returns it while open. */
  private openWindow(key: string, now: number): UnauthenticatedWindow | undefined {
    const window = this.unauthenticated.get(key)
    if (window === undefined || now - window.openedAt < this.windowMs) return window
    this.closeWindow(key, window)
    return undefined
  }

  private closeWindow(key: string, window: UnauthenticatedWindow): void {
    this.unauthenticated.delete(key)
    const last = window.last
    if (window.count === 0 || last === undefined) return
    const from = new Date(window.firstCountedAt).toISOString()
    const to = new Date(window.lastAt).toISOString()
    const requests = window.count === 1 ? 'request' : 'requests'
    this.record({
      ...last,
      at: to,
      detail:
        `${window.count} more unauthenticated ${requests} from ${window.source} between ${from} ` +
        `and ${to}; the last one: ${last.detail ?? `${last.status}`}`,
      durationMs: 0,
    })
  }

  /** Logs the summary of every unauthenticated window (expired ones only unless `all`). */
  closeUnauthenticatedWindows(all = false): void {
    const now = this.now()
    for (const [key, window] of this.unauthenticated) {
      if (!all && now - window.openedAt < this.windowMs) break
      this.closeWindow(key, window)
    }
  }

  /** Writes everything buffered so far; resolves when it is stored. */
  async flush(): Promise<void> {
    this.closeUnauthenticatedWindows()
    while (this.flushing) await this.flushing
    if (this.buffer.length === 0) return
    const batch = this.buffer
    this.buffer = []
    this.flushing = this.append(batch)
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => {
        this.flushing = undefined
      })
    await this.flushing
  }

  /** One transaction for the batch, each tenant's entries appended through its TenantStore. */
  private async append(batch: readonly ProvisioningLogEntry[]): Promise<void> {
    const byTenant = new Map<TenantId, ProvisioningLogEntry[]>()
    for (const entry of batch) {
      const entries = byTenant.get(entry.tenantId)
      if (entries) entries.push(entry)
      else byTenant.set(entry.tenantId, [entry])
    }
    await this.store.transaction(async (store) => {
      for (const [tenantId, entries] of byTenant) {
        await store.forTenant(tenantId).provisioningLog.append(entries)
      }
    })
  }

  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.options.retentionDays * 86_400_000).toISOString()
    try {
      const deleted = await this.store.provisioningLog.prune(before, this.options.maxRowsPerTenant)
      // The sign-in log follows the same retention (by age; its volume is the users' sign-ins).
      await this.store.signInLog.prune(before)
      await pruneEvents(this.store, this.options.eventRetentionDays ?? 30)
      return deleted
    } catch (error) {
      this.options.onError(error)
      return 0
    }
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer)
    clearInterval(this.pruneTimer)
    this.closeUnauthenticatedWindows(true)
    await this.flush()
  }
}

/** Events deleted per statement: a long backlog never holds the writer (SQLite has one) long. */
const EVENT_PRUNE_BATCH = 1000
/** Batches per prune run; the next run continues. */
const EVENT_PRUNE_MAX_BATCHES = 100

/** Deletes events older than `retentionDays` in batches; returns how many. */
export async function pruneEvents(
  store: Store,
  retentionDays: number,
  now = Date.now(),
): Promise<number> {
  const before = new Date(now - retentionDays * 86_400_000).toISOString()
  let deleted = 0
  for (let batch = 0; batch < EVENT_PRUNE_MAX_BATCHES; batch++) {
    const n = await store.events.deleteOlderThan(before, EVENT_PRUNE_BATCH)
    deleted += n
    if (n < EVENT_PRUNE_BATCH) break
    await new Promise((resolve) => setImmediate(resolve))
  }
  return deleted
}

/**
 * The body as the log stores it: secrets redacted by {@link redactScimValue} (SCIM schema
 * resolution), subtrees nested too deep replaced by a marker, cut to `maxBytes`. A string is
 * parsed as JSON first (response payloads). Never throws: the entry is written whatever the body.
 */
export function redactBody(body: unknown, maxBytes: number): string | null {
  if (body === undefined || body === null || maxBytes === 0) return null
  let text: string
  try {
    let value = body
    if (typeof body === 'string') {
      // Text the walk would give back unchanged: no parse, walk and re-serialisation. Only what
      // survives the cut matters (a page of 100 users is cut to its first kilobytes): a prefix
      // in which nothing could be redacted is the same in the walk's output, and what the walk
      // would change beyond it is cut away. maxBytes + 1 characters hold at least that many bytes.
      const head = body.length > maxBytes ? body.slice(0, maxBytes + 1) : body
      if (!mayNeedRedaction(head)) return cut(head, maxBytes)
      try {
        value = JSON.parse(body)
      } catch {
        return cut(body, maxBytes)
      }
    }
    // One more value than bytes: whatever the walk skips lies past the cut anyway.
    text = JSON.stringify(redactScimValue(value, { maxNodes: maxBytes + 1 })) ?? ''
  } catch {
    return '[body not loggable]'
  }
  return cut(text, maxBytes)
}

function cut(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  return `${Buffer.from(text).subarray(0, maxBytes).toString('utf8')}… [truncated]`
}
