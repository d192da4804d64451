// Remembers, per (tenant, resource type, filter) and startIndex, the id that ended the page
// before it, so that a client paging in order (as Entra and Okta do) is served by an index seek
// instead of an OFFSET that scans every skipped row (RFC 7644 §3.4.2.4 allows either).

export class PageCursors {
  private readonly entries = new Map<string, string>()

  constructor(private readonly capacity: number) {}

  /** The id after which the page starting at `startIndex` begins, if remembered. */
  get(queryKey: string, startIndex: number): string | undefined {
    const key = `${queryKey}#${startIndex}`
    const id = this.entries.get(key)
    if (id !== undefined) {
      // Refresh its place in the LRU order.
      this.entries.delete(key)
      this.entries.set(key, id)
    }
    return id
  }

  set(queryKey: string, startIndex: number, lastId: string): void {
    const key = `${queryKey}#${startIndex}`
    this.entries.delete(key)
    this.entries.set(key, lastId)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}
