// Taking SCIM control of a person (POST /Users and the first SCIM write to an INTERNAL member):
// the rules of SPEC §1 decide (D2, D5–D7, D12), and the memberships that D2 ends elsewhere are
// recorded in the other tenants' event logs.
import {
  decideScimClaim,
  domainOwnedElsewhereDetail,
  emailIdentityOf,
  memberElsewhereDetail,
  type ScimClaimDecision,
} from '../domain/directory-rules.ts'
import { domainOfEmail, ownershipOf } from '../domain/domains.ts'
import { newUserId, type TenantId } from '../domain/ids.ts'
import { DEFAULT_SCIM_ROLE } from '../domain/types.ts'
import type { EventBatch } from '../events/record.ts'
import { ScimError } from '../scim/errors.ts'
import { UniqueViolation, type Store, type UserRecord, type UserWrite } from '../store/store.ts'
import { RFC3339_NOW, type ProvisioningContext } from './context.ts'
import { endMembershipsElsewhere } from './memberships.ts'
import { VersionConflict } from './versioning.ts'

export function uniquenessError(error: UniqueViolation, userName: string): ScimError {
  if (error.constraint === 'users_email') {
    return ScimError.uniqueness(
      `userName "${userName}" is the email of another user already known to Rollcall. ` +
        'If it is the same person, send them the login URL of this tenant: signing in there ' +
        'moves them into this tenant.',
    )
  }
  return ScimError.uniqueness(`A user with userName "${userName}" already exists in this tenant.`)
}

/** The create of POST /Users in the caller's transaction, with the record it replaced (D5). */
export async function insertUser(
  store: Store,
  ctx: ProvisioningContext,
  write: UserWrite,
  events: EventBatch,
): Promise<{ before: UserRecord | undefined; user: UserRecord }> {
  const tenantStore = store.forTenant(ctx.tenant.id)
  const at = RFC3339_NOW()
  const emailNorm = emailIdentityOf(write.userName)
  if (emailNorm === undefined) {
    // D1: no email identity; the userName is unique within the tenant only.
    if ((await tenantStore.users.findIdByUserName(write.userName)) !== undefined) {
      throw uniquenessError(new UniqueViolation('tenant_users_user_name'), write.userName)
    }
    const id = newUserId()
    await tenantStore.users.insertIdentity(id, null, at)
    return {
      before: undefined,
      user: await tenantStore.users.insert(
        id,
        write,
        { origin: 'SCIM', role: DEFAULT_SCIM_ROLE },
        at,
      ),
    }
  }
  const decision = await claimDecision(store, ctx.tenant.id, emailNorm)
  switch (decision.kind) {
    case 'create': {
      const id = newUserId()
      await tenantStore.users.insertIdentity(id, emailNorm, at)
      return {
        before: undefined,
        user: await tenantStore.users.insert(
          id,
          write,
          { origin: 'SCIM', role: DEFAULT_SCIM_ROLE },
          at,
        ),
      }
    }
    case 'attach':
      if (decision.endElsewhere) {
        await endMembershipsElsewhere(store, ctx.tenant.id, decision.userId, emailNorm, at, events)
      }
      return {
        before: undefined,
        user: await tenantStore.users.insert(
          decision.userId,
          write,
          { origin: 'SCIM', role: DEFAULT_SCIM_ROLE },
          at,
        ),
      }
    case 'convert': {
      // D5: the INTERNAL member becomes SCIM-controlled; same id, role kept.
      const existing = await tenantStore.users.get(decision.userId)
      if (!existing) throw new VersionConflict()
      if (decision.endElsewhere) {
        await endMembershipsElsewhere(store, ctx.tenant.id, existing.id, emailNorm, at, events)
      }
      const updated = await tenantStore.users.update(existing.id, existing.version, write, at, {
        origin: 'SCIM',
      })
      if (!updated) throw new VersionConflict()
      await endSessionsIfInactive(store, updated)
      return { before: existing, user: updated }
    }
    case 'duplicate':
      throw ScimError.uniqueness(
        `A user with userName "${write.userName}" already exists in this tenant (id ${decision.userId}).`,
      )
    default:
      throw claimRefusal(decision, write.userName, emailNorm)
  }
}

/** D2, D5–D7, D12: what taking SCIM control of this email identity does, in `store`'s view. */
export async function claimDecision(
  store: Store,
  tenantId: TenantId,
  emailNorm: string,
): Promise<ScimClaimDecision> {
  const [identity, owner] = await Promise.all([
    store.forTenant(tenantId).users.identityByEmail(emailNorm),
    store.domains.owner(domainOfEmail(emailNorm)),
  ])
  return decideScimClaim(identity, ownershipOf(owner, tenantId))
}

export function claimRefusal(
  decision: ScimClaimDecision & { kind: 'memberElsewhere' | 'domainOwnedElsewhere' },
  userName: string,
  emailNorm: string,
): ScimError {
  return decision.kind === 'domainOwnedElsewhere'
    ? ScimError.uniqueness(domainOwnedElsewhereDetail(userName, domainOfEmail(emailNorm)))
    : ScimError.uniqueness(memberElsewhereDetail(userName, decision.domainVerifiedHere))
}

/** D9: a deactivated user's sessions end in the transaction that deactivates them. */
export async function endSessionsIfInactive(store: Store, user: UserRecord): Promise<void> {
  if (!user.active) await store.forTenant(user.tenantId).sessions.deleteOf(user.id)
}

/** PUT /Users/{id} (RFC 7644 §3.5.1). */
