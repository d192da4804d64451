// The directory as the host application reads it (/api/v1): users and groups in the shapes of
// views.ts, paged by cursor (keyset on the id) and filtered with the SCIM filter engine, which
// runs in SQL with the SCIM surface's bounds on hostile filters.
import type { Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { ScimError } from '../scim/errors.ts'
import type { Filter } from '../scim/filter/ast.ts'
import { parseFilter } from '../scim/filter/parser.ts'
import { LENIENT_QUIRKS } from '../scim/resources/quirks.ts'
import type { GroupRecord, MemberRecord, Store, UserRecord } from '../store/store.ts'
import { getGroup } from './groups.ts'
import { getUser } from './users.ts'
import {
  directoryGroupOf,
  directoryUserOf,
  type DirectoryGroup,
  type DirectoryUser,
} from './views.ts'

export const MAX_DIRECTORY_PAGE = 200

export interface DirectoryPage<T> {
  readonly data: readonly T[]
  /** The cursor of the next page; null on the last. */
  readonly after: string | null
}

export interface DirectoryQuery {
  readonly filter?: string | undefined
  readonly after?: string | undefined
  readonly limit: number
}

/** The tenant as the directory API shows it. */
export function directoryTenantOf(tenant: Tenant) {
  return {
    object: 'tenant' as const,
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    scimEnabled: tenant.scimTokenId !== null,
    createdAt: tenant.createdAt,
  }
}

/** A SCIM refusal (a bad filter) as the API's error. */
async function withScimErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof ScimError && error.status === 400) {
      throw AppError.invalidRequest(`filter: ${error.detail}`, error)
    }
    throw error
  }
}

function filterOf(text: string | undefined, maxLength: number): Filter | undefined {
  if (text === undefined || text.trim() === '') return undefined
  if (text.length > maxLength) {
    throw AppError.invalidRequest(
      `The filter is ${text.length} characters long; the maximum is ${maxLength}.`,
    )
  }
  return parseFilter(text, { maxLength, quirks: LENIENT_QUIRKS })
}

async function pageOf<R extends { readonly id: string }, T>(
  query: DirectoryQuery,
  maxFilterLength: number,
  list: (q: { filter: Filter | undefined; after: string; count: number }) => Promise<readonly R[]>,
  view: (record: R) => T,
): Promise<DirectoryPage<T>> {
  return withScimErrors(async () => {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit)), MAX_DIRECTORY_PAGE)
    const filter = filterOf(query.filter, maxFilterLength)
    // One more than the page: whether a next page exists, without a count.
    const rows = await list({ filter, after: query.after ?? '', count: limit + 1 })
    const items = rows.slice(0, limit)
    const last = items[items.length - 1]
    return { data: items.map(view), after: rows.length > limit && last ? last.id : null }
  })
}

export function listDirectoryUsers(
  store: Store,
  tenant: Tenant,
  query: DirectoryQuery,
  maxFilterLength: number,
): Promise<DirectoryPage<DirectoryUser>> {
  const users = store.forTenant(tenant.id).users
  return pageOf<UserRecord, DirectoryUser>(
    query,
    maxFilterLength,
    async (q) => (await users.list({ ...q, sortOrder: 'ascending', startIndex: 1 })).items,
    directoryUserOf,
  )
}

export function listDirectoryGroups(
  store: Store,
  tenant: Tenant,
  query: DirectoryQuery,
  maxFilterLength: number,
): Promise<DirectoryPage<DirectoryGroup>> {
  const groups = store.forTenant(tenant.id).groups
  return pageOf<GroupRecord, DirectoryGroup>(
    query,
    maxFilterLength,
    async (q) => (await groups.list({ ...q, sortOrder: 'ascending', startIndex: 1 })).items,
    directoryGroupOf,
  )
}

export interface GroupRef {
  readonly id: string
  readonly displayName: string
}

/** The groups a user is a direct member of. */
export async function groupsOfUser(
  store: Store,
  tenant: Tenant,
  userId: string,
): Promise<GroupRef[]> {
  const user = await getUser(store, tenant, userId)
  const refs = (await store.forTenant(tenant.id).users.groupsOf([user.id])).get(user.id) ?? []
  return refs.map((ref) => ({ id: ref.groupId, displayName: ref.display }))
}

/** A user with the groups they are a direct member of; `role` is the effective role. */
export async function directoryUserWithGroups(
  store: Store,
  tenant: Tenant,
  id: string,
): Promise<DirectoryUser & { groups: GroupRef[] }> {
  const user = await getUser(store, tenant, id)
  return { ...directoryUserOf(user), groups: await groupsOfUser(store, tenant, user.id) }
}

export interface DirectoryMemberView {
  readonly id: string
  readonly type: 'user' | 'group'
  readonly display: string | null
  readonly origin: 'INTERNAL' | 'SCIM'
}

export function directoryMemberOf(member: MemberRecord): DirectoryMemberView {
  return {
    id: member.memberId,
    type: member.memberType === 'User' ? 'user' : 'group',
    display: member.display,
    origin: member.origin,
  }
}

/** One page of a group's members, in member id order. */
export async function groupMembers(
  store: Store,
  tenant: Tenant,
  groupId: string,
  query: { after?: string | undefined; limit: number },
): Promise<DirectoryPage<DirectoryMemberView>> {
  const group = await getGroup(store, tenant, groupId)
  const limit = Math.min(Math.max(1, Math.trunc(query.limit)), MAX_DIRECTORY_PAGE)
  const after = query.after === undefined || query.after === '' ? undefined : query.after
  const page = await store.forTenant(tenant.id).members.page(group.id, { after, limit: limit + 1 })
  const items = page.items.slice(0, limit)
  const last = items[items.length - 1]
  return {
    data: items.map(directoryMemberOf),
    after: page.items.length > limit && last ? last.memberId : null,
  }
}
