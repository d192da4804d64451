// SCIM /Users operations (RFC 7644 §3.3–3.6) with the ownership rules of SPEC §1: email identity
// (D1), one tenant per SCIM user (D2, D6), conversion of INTERNAL members (D5), default role (D4).
// One transaction per write; concurrent writes to one user are serialised by compare-and-set.
import { domainOwnedElsewhereDetail, emailIdentityOf } from '../domain/directory-rules.ts'
import { domainOfEmail, ownershipOf } from '../domain/domains.ts'
import { asUserId } from '../domain/ids.ts'
import { ScimError } from '../scim/errors.ts'
import { applyPatch } from '../scim/patch/apply-patch.ts'
import { normalizeResource } from '../scim/resources/normalize.ts'
import { USER_RESOURCE_TYPE } from '../scim/schemas/index.ts'
import {
  UniqueViolation,
  type ListQuery,
  type Page,
  type Store,
  type TenantStore,
  type UserRecord,
  type UserWrite,
} from '../store/store.ts'
import { userWriteOf } from '../store/sql/columns.ts'
import { userChangeEvents, userEvent } from '../events/data.ts'
import { recording, type EventBatch } from '../events/record.ts'
import { RFC3339_NOW, type ProvisioningContext } from './context.ts'
import { endMembershipsElsewhere } from './memberships.ts'
import { renderUser, type ScimResource } from './render.ts'
import {
  claimDecision,
  claimRefusal,
  endSessionsIfInactive,
  insertUser,
  uniquenessError,
} from './user-claims.ts'
import { checkIfMatch, deleteChecked, retryOnConflict, VersionConflict } from './versioning.ts'

async function withUniqueness<T>(userName: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof UniqueViolation) throw uniquenessError(error, userName)
    throw error
  }
}

function warnIfNotEmail(ctx: ProvisioningContext, userName: string): void {
  if (emailIdentityOf(userName) === undefined) {
    ctx.warnings.push(
      `userName "${userName}" is not an email address: the user has no email identity, so SSO ` +
        'matching and the ownership rules by email do not apply. Map an email attribute ' +
        '(Entra: mail) to userName in the IdP attribute mappings.',
    )
  }
}

/**
 * RFC 7643 §4.1.1 lets an IdP send a password; Rollcall never signs anyone in with it (sign-in is
 * SSO, or a break-glass admin's own local password), so it is not kept: a hash would be a
 * liability to store and a strong one costs ~1 s of CPU per request (bounded work). Any hash kept
 * by an older version goes the first time a password arrives.
 */
function passwordWrite(password: string | undefined): { passwordHash?: null } {
  return password === undefined ? {} : { passwordHash: null }
}

export async function renderUsers(
  tenantStore: TenantStore,
  users: readonly UserRecord[],
  baseUrl: string,
  withGroups: boolean,
): Promise<ScimResource[]> {
  // Reads asked for them can bring the groups along (ListQuery.withGroups): no second query.
  const loaded = users.every((u) => u.groups !== undefined)
  const groups =
    withGroups && !loaded
      ? await tenantStore.users.groupsOf(users.map((u) => u.id))
      : new Map<string, never[]>()
  return users.map((u) =>
    renderUser(u, withGroups && loaded ? u.groups : (groups.get(u.id) ?? []), baseUrl),
  )
}

/** Validates a POST/PUT body and derives what is stored (password hashed). */
async function userWriteFromBody(
  ctx: ProvisioningContext,
  body: unknown,
  mode: 'create' | 'replace',
): Promise<UserWrite> {
  const normalized = normalizeResource(body, USER_RESOURCE_TYPE, { quirks: ctx.quirks, mode })
  const write: UserWrite = {
    ...userWriteOf(normalized.doc),
    ...passwordWrite(normalized.password),
  }
  warnIfNotEmail(ctx, write.userName)
  return write
}

/** POST /Users (RFC 7644 §3.3). */
export async function createUser(ctx: ProvisioningContext, body: unknown): Promise<UserRecord> {
  const write = await userWriteFromBody(ctx, body, 'create')
  return withUniqueness(write.userName, () =>
    retryOnConflict(() =>
      ctx.store.transaction((store) =>
        recording(store, ctx.tenant.id, async (events) => {
          const created = await insertUser(store, ctx, write, events)
          events.add(...userChangeEvents(created.before, created.user))
          return created.user
        }),
      ),
    ),
  )
}

export async function getUser(
  ctx: ProvisioningContext,
  id: string,
  withGroups = false,
): Promise<UserRecord> {
  const user = await ctx.store.forTenant(ctx.tenant.id).users.get(asUserId(id), { withGroups })
  if (!user) throw ScimError.notFound('User', id)
  return user
}

export async function listUsers(
  ctx: ProvisioningContext,
  query: ListQuery,
  withGroups = false,
): Promise<Page<UserRecord>> {
  return ctx.store.forTenant(ctx.tenant.id).users.list({ ...query, withGroups })
}

/**
 * Writes a new document over an existing user, in the caller's transaction: the first SCIM write
 * to an INTERNAL member converts it (D5) unless the person also belongs elsewhere (D2/D6); a
 * userName change moves the email identity.
 */
async function writeUser(
  store: Store,
  ctx: ProvisioningContext,
  existing: UserRecord,
  write: UserWrite,
  events: EventBatch,
): Promise<UserRecord> {
  const tenantStore = store.forTenant(ctx.tenant.id)
  const at = RFC3339_NOW()
  const oldEmail = emailIdentityOf(existing.userName) ?? null
  if (existing.origin === 'INTERNAL' && oldEmail !== null) {
    // The first SCIM write takes control of the person: the same rules as a create (D5, D12).
    const decision = await claimDecision(store, ctx.tenant.id, oldEmail)
    if (decision.kind === 'memberElsewhere' || decision.kind === 'domainOwnedElsewhere') {
      throw claimRefusal(decision, existing.userName, oldEmail)
    }
    if (decision.kind === 'convert' && decision.endElsewhere) {
      await endMembershipsElsewhere(store, ctx.tenant.id, existing.id, oldEmail, at, events)
    }
  }
  const newEmail = emailIdentityOf(write.userName) ?? null
  if (newEmail !== oldEmail) {
    // D12: renaming into a domain another tenant verified would squat on its people.
    if (newEmail !== null) {
      const owner = await store.domains.owner(domainOfEmail(newEmail))
      if (ownershipOf(owner, ctx.tenant.id) === 'other') {
        throw ScimError.uniqueness(
          domainOwnedElsewhereDetail(write.userName, domainOfEmail(newEmail)),
        )
      }
    }
    await tenantStore.users.setIdentityEmail(existing.id, newEmail)
  }
  const updated = await tenantStore.users.update(existing.id, existing.version, write, at, {
    origin: 'SCIM',
  })
  if (!updated) throw new VersionConflict()
  await endSessionsIfInactive(store, updated)
  events.add(...userChangeEvents(existing, updated))
  return updated
}

export async function replaceUser(
  ctx: ProvisioningContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
): Promise<UserRecord> {
  const write = await userWriteFromBody(ctx, body, 'replace')
  return withUniqueness(write.userName, () =>
    retryOnConflict(() =>
      ctx.store.transaction((store) =>
        recording(store, ctx.tenant.id, async (events) => {
          const existing = await store.forTenant(ctx.tenant.id).users.get(asUserId(id))
          if (!existing) throw ScimError.notFound('User', id)
          checkIfMatch(ifMatch, existing.version)
          return writeUser(store, ctx, existing, write, events)
        }),
      ),
    ),
  )
}

/** PATCH /Users/{id} (RFC 7644 §3.5.2), atomic: every operation applies or none. */
export async function patchUser(
  ctx: ProvisioningContext,
  id: string,
  body: unknown,
  ifMatch: string | undefined,
): Promise<UserRecord> {
  return retryOnConflict(() =>
    ctx.store.transaction((store) =>
      recording(store, ctx.tenant.id, async (events) => {
        const existing = await store.forTenant(ctx.tenant.id).users.get(asUserId(id))
        if (!existing) throw ScimError.notFound('User', id)
        checkIfMatch(ifMatch, existing.version)
        const result = applyPatch(body, existing.doc, USER_RESOURCE_TYPE, ctx.quirks)
        if (result.memberOps.length > 0) {
          throw ScimError.invalidPath('members is not an attribute of User')
        }
        if (!result.changed && existing.origin === 'SCIM') return existing
        const write: UserWrite = {
          ...userWriteOf(result.doc),
          ...passwordWrite(result.password),
        }
        return withUniqueness(write.userName, () => writeUser(store, ctx, existing, write, events))
      }),
    ),
  )
}

/** DELETE /Users/{id} (RFC 7644 §3.6): leaves the tenant and its groups (D9). */
export async function deleteUser(
  ctx: ProvisioningContext,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const userId = asUserId(id)
  await deleteChecked<UserRecord>(ctx, 'User', id, ifMatch, (tenantStore) => ({
    get: () => tenantStore.users.get(userId),
    // D9: the user's sessions end with the membership, in the same transaction.
    remove: async (existing, events) => {
      await tenantStore.sessions.deleteOf(userId)
      if (!(await tenantStore.users.delete(userId))) return false
      events.add(userEvent('user.deleted', existing))
      return true
    },
  }))
}
