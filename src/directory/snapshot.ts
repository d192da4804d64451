// A tenant's whole directory at a cursor of the event feed, for an app to reconcile from and then
// follow the feed (/api/v1/tenants/{slug}/snapshot). The cursor is read before the directory:
// a change committed while the snapshot is read has a later position, so it is in the feed after
// the cursor (the app may see it twice, in the snapshot and as an event, never not at all).
// Read page by page (keyset on the ids), so memory does not grow with the directory.
import type { Tenant } from '../domain/types.ts'
import type { Store } from '../store/store.ts'
import { directoryMemberOf } from './directory-api.ts'
import { directoryGroupOf, directoryUserOf } from './views.ts'

export const SNAPSHOT_PAGE_SIZE = 500

/**
 * The snapshot as lines of JSON: first `{"object":"snapshot","tenant","after","at"}`, then every
 * user, every group and every membership (`{"object":"membership","group":{"id","displayName"},
 * "member":{"id","type"},"origin"}`), then `{"object":"snapshot_end","users","groups",
 * "memberships"}` so a cut-off stream is told from a whole one.
 */
export async function* snapshotLines(
  store: Store,
  tenant: Tenant,
  cursorOf: (position: number) => string,
  pageSize: number = SNAPSHOT_PAGE_SIZE,
): AsyncGenerator<string, void, undefined> {
  const tenantStore = store.forTenant(tenant.id)
  const head = await tenantStore.events.head()
  const header = {
    object: 'snapshot',
    tenant: tenant.slug,
    after: cursorOf(head),
    at: new Date().toISOString(),
  }
  yield `${JSON.stringify(header)}\n`
  const counts = { users: 0, groups: 0, memberships: 0 }
  const page = { sortOrder: 'ascending', startIndex: 1, count: pageSize } as const
  for (let after = ''; ;) {
    const { items } = await tenantStore.users.list({ ...page, after })
    if (items.length > 0) {
      yield items.map((user) => `${JSON.stringify(directoryUserOf(user))}\n`).join('')
      counts.users += items.length
    }
    const last = items[items.length - 1]
    if (!last || items.length < pageSize) break
    after = last.id
  }
  for (let after = ''; ;) {
    const { items } = await tenantStore.groups.list({ ...page, after })
    if (items.length > 0) {
      yield items.map((group) => `${JSON.stringify(directoryGroupOf(group))}\n`).join('')
      counts.groups += items.length
    }
    const last = items[items.length - 1]
    if (!last || items.length < pageSize) break
    after = last.id
  }
  // The memberships group by group, in a second walk: a group's line comes before its members.
  for (let after = ''; ;) {
    const { items } = await tenantStore.groups.list({ ...page, after })
    for (const group of items) {
      for (let memberAfter: string | undefined; ;) {
        const members = await tenantStore.members.page(group.id, {
          after: memberAfter,
          limit: pageSize,
        })
        if (members.items.length > 0) {
          const ref = { id: group.id, displayName: group.displayName }
          yield members.items
            .map((member) => {
              const view = directoryMemberOf(member)
              return `${JSON.stringify({
                object: 'membership',
                group: ref,
                member: { id: view.id, type: view.type },
                origin: view.origin,
              })}\n`
            })
            .join('')
          counts.memberships += members.items.length
        }
        const lastMember = members.items[members.items.length - 1]
        if (!lastMember || members.items.length < pageSize) break
        memberAfter = lastMember.memberId
      }
    }
    const last = items[items.length - 1]
    if (!last || items.length < pageSize) break
    after = last.id
  }
  yield `${JSON.stringify({ object: 'snapshot_end', ...counts })}\n`
}
