// Tenancy by type: swapped ids and tenant data without forTenant do not compile. The checker runs
// over this file (`npx tsc --noEmit -p .` includes test/): every @ts-expect-error line below must
// be an error, or tsc fails. At run time only the id helpers are exercised.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  asConnectionId,
  asGroupId,
  asTenantId,
  asUserId,
  newGroupId,
  newUserId,
  type ConnectionId,
  type GroupId,
  type MemberId,
  type TenantId,
  type UserId,
} from '../../src/domain/ids.ts'
import type { Store, TenantStore } from '../../src/store/store.ts'

// Never called: its body is for the type checker.
export function typeChecks(
  store: Store,
  tenant: TenantStore,
  ids: {
    tenantId: TenantId
    userId: UserId
    groupId: GroupId
    connectionId: ConnectionId
    memberId: MemberId
  },
): void {
  const { tenantId, userId, groupId, connectionId, memberId } = ids

  // @ts-expect-error a group id where a user id goes
  void tenant.users.get(groupId)
  // @ts-expect-error a tenant id where a user id goes
  void tenant.users.delete(tenantId)
  // @ts-expect-error a user id where a group id goes
  void tenant.groups.get(userId)
  // @ts-expect-error a raw string where a group id goes
  void tenant.groups.delete('01937a3e-0000-7000-8000-000000000000')
  // @ts-expect-error a raw string where a tenant id goes
  store.forTenant('acme')
  // @ts-expect-error a user id where a tenant id goes
  store.forTenant(userId)
  // @ts-expect-error a member id may be a user: not where a group id goes
  void tenant.members.list([memberId])
  // @ts-expect-error a user reference carrying a group id
  void tenant.members.upsert(groupId, [{ id: groupId, type: 'User' }], 'SCIM', '')
  // @ts-expect-error a connection id where a user id goes
  void store.people.membershipsOf(connectionId)
  // @ts-expect-error a group id where a connection id goes
  void tenant.connections.delete(groupId)
  const token = { tokenHash: 'h', createdAt: '', expiresAt: '' }
  // @ts-expect-error a set-password token names a user, not a connection
  void tenant.oneTimeTokens.insert({ ...token, purpose: 'set-password', subjectId: connectionId })
  const times = { createdAt: '', lastSeenAt: '', idleExpiresAt: '', absoluteExpiresAt: '' }
  // @ts-expect-error a session's tenant is its TenantStore's, not the caller's to give
  void tenant.sessions.insert({ ...times, idHash: 'h', userId, tenantId })

  // A tenant's data is not reachable from the root store.
  // @ts-expect-error no users on the root store
  void store.users
  // @ts-expect-error the root store finds a connection, it lists no tenant's connections
  void store.connections.list()
  // @ts-expect-error the root provisioning log prunes, it lists no tenant's entries
  void store.provisioningLog.list({ limit: 1 })

  // The right kinds compile.
  void tenant.users.get(userId)
  void tenant.members.remove(groupId, [userId, groupId], 'SCIM')
  void tenant.members.upsert(
    groupId,
    [
      { id: userId, type: 'User' },
      { id: groupId, type: 'Group' },
    ],
    'SCIM',
    '',
  )
  void store.forTenant(tenantId).connections.delete(connectionId)
}

describe('branded ids', () => {
  it('are the same strings at run time: the casts and constructors change no value', () => {
    assert.equal(asTenantId('t-1'), 't-1')
    assert.equal(asUserId('u-1'), 'u-1')
    assert.equal(asGroupId('g-1'), 'g-1')
    assert.equal(asConnectionId('c-1'), 'c-1')
    assert.match(
      newUserId(),
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    assert.notEqual(newGroupId(), newGroupId())
  })
})
