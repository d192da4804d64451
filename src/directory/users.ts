// A tenant's users as admins see them (CLI `user list`, console and admin API next): every user
// of every origin, read a page at a time so a large directory is never one query.
import type { Tenant } from '../domain/types.ts'
import type { Store, UserRecord } from '../store/store.ts'

/** How many users one read fetches (the store's SCIM paging, RFC 7644 §3.4.2.4). */
export const USER_PAGE_SIZE = 1000

/**
 * Every user of the tenant, in the store's ascending order, fetched `pageSize` at a time. Pages are
 * read by index, so a user added or removed while the iteration runs may be seen twice or missed.
 */
export async function* allUsers(
  store: Store,
  tenant: Tenant,
  pageSize: number = USER_PAGE_SIZE,
): AsyncGenerator<UserRecord, void, undefined> {
  const users = store.forTenant(tenant.id).users
  for (let startIndex = 1; ; startIndex += pageSize) {
    const page = await users.list({ sortOrder: 'ascending', startIndex, count: pageSize })
    yield* page.items
    if (page.items.length < pageSize) return
  }
}
