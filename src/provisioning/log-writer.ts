// The provisioning log (SPEC §5, issue: every SCIM request recorded): entries are buffered and
// written in batches off the request path; old entries are pruned by age and count per tenant.
import type { ProvisioningLogEntry, Store } from '../store/store.ts'

export interface LogWriterOptions {
  readonly retentionDays: number
  readonly maxRowsPerTenant: number
  readonly flushIntervalMs?: number
  readonly pruneIntervalMs?: number
  readonly onError: (error: unknown) => void
}

export class ProvisioningLogWriter {
  private buffer: ProvisioningLogEntry[] = []
  private flushing: Promise<void> | undefined
  private readonly flushTimer: NodeJS.Timeout
  private readonly pruneTimer: NodeJS.Timeout

  constructor(
    private readonly store: Store,
    private readonly options: LogWriterOptions,
  ) {
    this.flushTimer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 200)
    this.flushTimer.unref()
    this.pruneTimer = setInterval(() => void this.prune(), options.pruneIntervalMs ?? 10 * 60_000)
    this.pruneTimer.unref()
  }

  record(entry: ProvisioningLogEntry): void {
    this.buffer.push(entry)
    if (this.buffer.length >= 500) void this.flush()
  }

  /** Writes everything buffered so far; resolves when it is stored. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing
    if (this.buffer.length === 0) return
    const batch = this.buffer
    this.buffer = []
    this.flushing = this.store
      .appendProvisioningLog(batch)
      .catch((error) => this.options.onError(error))
      .finally(() => {
        this.flushing = undefined
      })
    await this.flushing
  }

  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.options.retentionDays * 86_400_000).toISOString()
    try {
      return await this.store.pruneProvisioningLog(before, this.options.maxRowsPerTenant)
    } catch (error) {
      this.options.onError(error)
      return 0
    }
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer)
    clearInterval(this.pruneTimer)
    await this.flush()
  }
}

const SECRET_KEYS = /^(password|secret|token|client_secret|access_token|refresh_token)$/i

/** Redacts secret-looking values and cuts the body to `maxBytes` for the log. */
export function redactBody(body: unknown, maxBytes: number): string | null {
  if (body === undefined || body === null || maxBytes === 0) return null
  let text: string
  if (typeof body === 'string') {
    try {
      text = JSON.stringify(redact(JSON.parse(body)))
    } catch {
      text = body
    }
  } else {
    text = JSON.stringify(redact(body))
  }
  if (Buffer.byteLength(text) <= maxBytes) return text
  return `${Buffer.from(text).subarray(0, maxBytes).toString('utf8')}… [truncated]`
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact)
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    // A PATCH operation on the password: {"op":"replace","path":"password","value":"…"}.
    const targetsSecret = typeof record.path === 'string' && /password/i.test(record.path)
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEYS.test(k) || (targetsSecret && k === 'value') ? '[redacted]' : redact(v),
      ]),
    )
  }
  return value
}
