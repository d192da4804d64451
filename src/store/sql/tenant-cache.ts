// Recent tenants by slug, for the lookup every SCIM request makes (its bearer token is checked
// against the tenant's current token id). Staleness is bounded: an entry is served for at most
// TENANT_STALENESS_MS after the read that filled it began, so a token re-issued or revoked by
// another instance (or the CLI) is refused everywhere within that time; this process's own
// changes drop the tenant at once and keep it uncached until their commit is surely visible.
import type { Tenant } from '../../domain/types.ts'

/** How old a cached tenant may be; the bound is 1 s on every instance. */
export const TENANT_STALENESS_MS = 500

const CAPACITY = 10_000

interface Entry {
  /** When the read that produced it began (its snapshot is at least this recent). */
  readonly readAt: number
  readonly tenant: Promise<Tenant | undefined>
  /** The tenant's id once the read has answered. */
  id?: string | undefined
}

export class TenantCache {
  private readonly bySlug = new Map<string, Entry>()
  /** Tenant ids changed here lately, until when they are read fresh (see invalidate). */
  private readonly changedUntil = new Map<string, number>()

  constructor(private readonly now: () => number = performance.now.bind(performance)) {}

  /** The tenant of `slug` as `read` returns it, or as it did at most TENANT_STALENESS_MS ago. */
  get(slug: string, read: () => Promise<Tenant | undefined>): Promise<Tenant | undefined> {
    const now = this.now()
    const entry = this.bySlug.get(slug)
    if (entry !== undefined && now - entry.readAt < TENANT_STALENESS_MS) return entry.tenant
    const tenant = read()
    // Concurrent requests share the one read; a failed read is not remembered.
    const fresh: Entry = { readAt: now, tenant }
    this.remember(slug, fresh)
    tenant.then(
      (found) => {
        fresh.id = found?.id
        // Unknown slugs are not kept (a tenant created elsewhere is found at once), nor tenants
        // this process has just changed (the read may predate the change's commit).
        if (found === undefined || this.recentlyChanged(found.id)) this.forget(slug, tenant)
      },
      () => this.forget(slug, tenant),
    )
    return tenant
  }

  /**
   * Drops the tenant and keeps it uncached for TENANT_STALENESS_MS: the change is written inside
   * a transaction, and a read on another connection until its commit still sees the old row.
   */
  invalidate(tenantId: string): void {
    this.changedUntil.set(tenantId, this.now() + TENANT_STALENESS_MS)
    // Reads still pending may be of this tenant: dropped too (their callers still get them).
    for (const [slug, entry] of this.bySlug) {
      if (entry.id === undefined || entry.id === tenantId) this.bySlug.delete(slug)
    }
  }

  private recentlyChanged(tenantId: string): boolean {
    const until = this.changedUntil.get(tenantId)
    if (until === undefined) return false
    if (this.now() < until) return true
    this.changedUntil.delete(tenantId)
    return false
  }

  private remember(slug: string, entry: Entry): void {
    if (this.bySlug.size >= CAPACITY) this.bySlug.clear()
    this.bySlug.set(slug, entry)
  }

  private forget(slug: string, tenant: Promise<Tenant | undefined>): void {
    if (this.bySlug.get(slug)?.tenant === tenant) this.bySlug.delete(slug)
  }
}
