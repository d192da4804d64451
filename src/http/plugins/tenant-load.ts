// Per-tenant in-flight request bound: under real overload a tenant's IdP gets 429 with
// Retry-After (RFC 7644 §3.12; Entra honours Retry-After) instead of every request slowing down.
// Never reached at Entra's documented 25 requests/second unless requests pile up.

export class TenantLoad {
  private readonly inFlight = new Map<string, number>()

  constructor(private readonly limit: number) {}

  /** Takes a slot for the tenant; false when it already has `limit` requests in flight. */
  tryEnter(tenantId: string): boolean {
    const current = this.inFlight.get(tenantId) ?? 0
    if (current >= this.limit) return false
    this.inFlight.set(tenantId, current + 1)
    return true
  }

  leave(tenantId: string): void {
    const current = this.inFlight.get(tenantId) ?? 0
    if (current <= 1) this.inFlight.delete(tenantId)
    else this.inFlight.set(tenantId, current - 1)
  }
}
