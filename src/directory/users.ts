// A tenant's users as admins see them (CLI `user list`, the console and the admin API): every user
// of every origin, read a page at a time so a large directory is never one query; and what an
// admin may change of them (SPEC §1 D8: the role always; active and membership only of INTERNAL
// users).
import { ownAccountRefusal, userActionRefusal, type UserAction } from '../domain/admin-rules.ts'
import { emailIdentityOf } from '../domain/directory-rules.ts'
import { domainOfEmail, ownershipOf } from '../domain/domains.ts'
import { asUserId, type UserId } from '../domain/ids.ts'
import { BUILT_IN_ROLES, type Origin, type Tenant } from '../domain/types.ts'
import { AppError } from '../errors.ts'
import { userChangeEvents, userEvent } from '../events/data.ts'
import { appendEvents } from '../events/record.ts'
import { issueSetPasswordLink } from '../sessions/local-login.ts'
import { userWriteOf } from '../store/sql/columns.ts'
import type { Store, UserRecord } from '../store/store.ts'
import { addInternalUser } from './internal.ts'
import { primaryEmailOf } from './views.ts'

/** How many users one read fetches (the store's SCIM paging, RFC 7644 §3.4.2.4). */
export const USER_PAGE_SIZE = 1000

/** The most users one page of the admin's list holds. */
export const MAX_USER_LIST_LIMIT = 200

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

/** A user as the admin API shows them, with the actions D8 refuses and why. */
export interface UserView {
  readonly id: string
  readonly userName: string
  /** The primary (else first) email of the SCIM document, else the userName. */
  readonly email: string
  readonly displayName: string | null
  readonly origin: Origin
  readonly role: string
  readonly active: boolean
  readonly createdAt: string
  readonly updatedAt: string
  /** When a console session last started for the membership; null if it never signed in. */
  readonly lastSignInAt: string | null
  /** Why each refused action is refused (D8, own account); an action not named is allowed. */
  readonly refusals: Partial<Record<UserAction, string>>
}

/** The first reason to refuse `action` on `user` when `actor` asks, if any. */
function refusalOf(user: UserRecord, actor: UserId | undefined, action: UserAction) {
  return (
    userActionRefusal(user.origin, action) ??
    (user.id === actor ? ownAccountRefusal(action) : undefined)
  )
}

/** The user as `actor` (the signed-in Admin) sees them: what they may not do, and why. */
export function userView(user: UserRecord, actor?: UserId): UserView {
  const refusals: Partial<Record<UserAction, string>> = {}
  for (const action of ['disable', 'enable', 'delete', 'role'] as const) {
    const reason = refusalOf(user, actor, action)
    if (reason !== undefined) refusals[action] = reason
  }
  return {
    id: user.id,
    userName: user.userName,
    email: primaryEmailOf(user),
    displayName: user.displayName,
    origin: user.origin,
    role: user.role,
    active: user.active,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastSignInAt: user.lastSignInAt,
    refusals,
  }
}

export interface UserListQuery {
  readonly search?: string | undefined
  readonly origin?: Origin | undefined
  readonly role?: string | undefined
  readonly status?: 'active' | 'disabled' | undefined
  /** The `nextCursor` of the page before. */
  readonly cursor?: string | undefined
  readonly limit: number
}

export interface UserListPage {
  readonly items: readonly UserView[]
  readonly total: number
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null
}

/** One page of the admin's user list: search by email or name, filters, keyset paging. */
export async function listUsers(
  store: Store,
  tenant: Tenant,
  actor: UserId | undefined,
  query: UserListQuery,
): Promise<UserListPage> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit)), MAX_USER_LIST_LIMIT)
  const page = await store.forTenant(tenant.id).users.search({
    text: query.search,
    origin: query.origin,
    role: query.role,
    active: query.status === undefined ? undefined : query.status === 'active',
    after: query.cursor === undefined || query.cursor === '' ? undefined : asUserId(query.cursor),
    limit,
  })
  const last = page.items[page.items.length - 1]
  return {
    items: page.items.map((user) => userView(user, actor)),
    total: page.total,
    nextCursor: page.hasMore && last ? last.id : null,
  }
}

function notFound(id: string): AppError {
  return AppError.notFound(`This tenant has no user with id ${id.slice(0, 100)}.`)
}

export async function getUser(store: Store, tenant: Tenant, id: string): Promise<UserRecord> {
  const user = await store.forTenant(tenant.id).users.get(asUserId(id))
  if (!user) throw notFound(id)
  return user
}

/**
 * Invites a person as an INTERNAL member (D2; not of a domain another tenant verified, D12) and
 * issues their one-time set-password link for
 * local sign-in, as `admin create` does (valid 24 hours, shown once).
 */
export async function inviteUser(
  store: Store,
  tenant: Tenant,
  publicUrl: string,
  input: { email: string; role?: string | undefined; displayName?: string | undefined },
): Promise<{ user: UserRecord; setPasswordUrl: string }> {
  // D12: the people of a domain another tenant verified are that tenant's to add; said before
  // anything about the person, so the answer does not tell whether they exist.
  const emailNorm = emailIdentityOf(input.email)
  if (emailNorm !== undefined) {
    const domain = domainOfEmail(emailNorm)
    if (ownershipOf(await store.domains.owner(domain), tenant.id) === 'other') {
      throw AppError.domainTaken(
        `The email domain ${domain} is verified by another organisation: only that organisation ` +
          'can add its people. If the domain is yours, ask the operator of this Rollcall service.',
      )
    }
  }
  const user = await addInternalUser(store, tenant, input)
  const setPasswordUrl = await issueSetPasswordLink(store, publicUrl, {
    tenantId: tenant.id,
    userId: user.id,
  })
  return { user, setPasswordUrl }
}

function checkRole(role: string): void {
  if (!(BUILT_IN_ROLES as readonly string[]).includes(role)) {
    throw AppError.invalidRequest(
      `Unknown role "${role.slice(0, 100)}"; use one of ${BUILT_IN_ROLES.join(', ')}.`,
    )
  }
}

/** D8: the role of any member, SCIM-controlled ones too. An Admin cannot demote themselves. */
export async function setUserRole(
  store: Store,
  tenant: Tenant,
  actor: UserId | undefined,
  id: string,
  role: string,
): Promise<UserRecord> {
  checkRole(role)
  const user = await getUser(store, tenant, id)
  const refusal = role === user.role ? undefined : refusalOf(user, actor, 'role')
  if (refusal !== undefined) throw AppError.forbidden(refusal)
  return store.transaction(async (tx) => {
    const updated = await tx
      .forTenant(tenant.id)
      .users.setRole(user.id, role, new Date().toISOString())
    if (!updated) throw notFound(id)
    // The effective role may stay (a group rule gives a higher one): then nothing changed for the app.
    await appendEvents(tx, tenant.id, userChangeEvents(user, updated))
    return updated
  })
}

/**
 * Disables or enables an INTERNAL member (D9: disabling ends their sessions, memberships stay).
 * Refused for SCIM-controlled users (D8), and for the Admin's own account.
 */
export async function setUserActive(
  store: Store,
  tenant: Tenant,
  actor: UserId | undefined,
  id: string,
  isActive: boolean,
): Promise<UserRecord> {
  return store.transaction(async (tx) => {
    const users = tx.forTenant(tenant.id).users
    // Compare-and-set: a concurrent change (SCIM converting the user, D5) makes it re-read.
    for (let attempt = 0; attempt < 3; attempt++) {
      const user = await getUser(tx, tenant, id)
      const action = isActive ? 'enable' : 'disable'
      const refusal = userActionRefusal(user.origin, action)
      if (refusal !== undefined) throw AppError.scimControlled(refusal)
      const own = user.id === actor ? ownAccountRefusal(action) : undefined
      if (own !== undefined) throw AppError.forbidden(own)
      if (user.active === isActive) return user
      const write = userWriteOf({ ...user.doc, active: isActive })
      const updated = await users.update(user.id, user.version, write, new Date().toISOString())
      if (updated) {
        if (!isActive) await tx.forTenant(tenant.id).sessions.deleteOf(user.id)
        await appendEvents(tx, tenant.id, userChangeEvents(user, updated))
        return updated
      }
    }
    throw AppError.conflict('The user changed meanwhile; reload and try again.')
  })
}

/**
 * Removes an INTERNAL member from the tenant and its groups (D9). Refused for SCIM-controlled
 * users (D8), and for the Admin's own account.
 */
export async function deleteUser(
  store: Store,
  tenant: Tenant,
  actor: UserId | undefined,
  id: string,
): Promise<void> {
  await store.transaction(async (tx) => {
    const user = await getUser(tx, tenant, id)
    const refusal = userActionRefusal(user.origin, 'delete')
    if (refusal !== undefined) throw AppError.scimControlled(refusal)
    const own = user.id === actor ? ownAccountRefusal('delete') : undefined
    if (own !== undefined) throw AppError.forbidden(own)
    // Its sessions go with the membership (foreign key cascade).
    if (!(await tx.forTenant(tenant.id).users.delete(user.id))) throw notFound(id)
    await appendEvents(tx, tenant.id, [userEvent('user.deleted', user)])
  })
}
