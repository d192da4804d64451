// Remembers, per (tenant, resource type, filter) and startIndex, the id that ended the page
// before it and the total then, so that a client paging in order (as Entra and Okta do) is
// served by an index seek and no COUNT: each page of a walk costs the same however deep
// (RFC 7644 §3.4.2.4 does not promise consistency between pages).

/** Where the previous page of a walk ended, and the total it reported. */
export interface PageCursor {
  readonly lastId: string
  readonly total: number
}

export class PageCursors {
  private readonly entries = new Map<string, PageCursor>()

  constructor(private readonly capacity: number) {}

  /** The cursor after which the page starting at `startIndex` begins, if remembered. */
  get(queryKey: string, startIndex: number): PageCursor | undefined {
    const key = `${queryKey}#${startIndex}`
    const cursor = this.entries.get(key)
    if (cursor !== undefined) {
      // Refresh its place in the LRU order.
      this.entries.delete(key)
      this.entries.set(key, cursor)
    }
    return cursor
  }

  set(queryKey: string, startIndex: number, cursor: PageCursor): void {
    const key = `${queryKey}#${startIndex}`
    this.entries.delete(key)
    this.entries.set(key, cursor)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}
