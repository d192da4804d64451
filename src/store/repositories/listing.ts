// What a SCIM listing asks of the store (RFC 7644 §3.4.2: filter, sort, pagination) and the page
// it gets back; shared by the user and group repositories.
import type { AttributePath, Filter } from '../../scim/filter/ast.ts'

export interface ListQuery {
  readonly filter?: Filter | undefined
  readonly sortBy?: AttributePath | undefined
  readonly sortOrder: 'ascending' | 'descending'
  /** 1-based (RFC 7644 §3.4.2.4). */
  readonly startIndex: number
  readonly count: number
  /**
   * Keyset paging by cursor: only rows whose id sorts after this one, in id order (sortBy and
   * startIndex are ignored). Nothing is counted then: totalResults is the number of items.
   */
  readonly after?: string | undefined
  /** Users: read each user's groups in the same statement (UserRecord.groups), where it can. */
  readonly withGroups?: boolean | undefined
}

export interface Page<T> {
  readonly totalResults: number
  readonly items: readonly T[]
}
