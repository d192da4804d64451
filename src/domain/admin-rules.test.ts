// D8 and G4 as admins meet them: SCIM-controlled users and memberships are refused with a reason.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  groupChangeRefusal,
  memberRemovalRefusal,
  ownAccountRefusal,
  userActionRefusal,
  userProfileRefusal,
} from './admin-rules.ts'

describe('userActionRefusal', () => {
  it('lets an admin disable, enable and delete an INTERNAL user', () => {
    for (const action of ['disable', 'enable', 'delete'] as const) {
      assert.equal(userActionRefusal('INTERNAL', action), undefined)
    }
  })

  it('lets an admin change the role of a SCIM user (D8)', () => {
    assert.equal(userActionRefusal('SCIM', 'role'), undefined)
  })

  it('refuses every such action on a SCIM user, pointing at the identity provider', () => {
    for (const action of ['disable', 'enable', 'delete'] as const) {
      assert.match(userActionRefusal('SCIM', action) ?? '', /controlled by SCIM.*identity provider/)
    }
  })
})

describe('memberRemovalRefusal', () => {
  it('lets an admin remove an INTERNAL member and refuses a SCIM one (G4)', () => {
    assert.equal(memberRemovalRefusal('INTERNAL'), undefined)
    assert.match(memberRemovalRefusal('SCIM') ?? '', /controlled by SCIM/)
  })
})

describe('ownAccountRefusal', () => {
  it('keeps an Admin from disabling, deleting or demoting themselves', () => {
    for (const action of ['disable', 'delete', 'role'] as const) {
      assert.match(ownAccountRefusal(action) ?? '', /your own/)
    }
    assert.equal(ownAccountRefusal('enable'), undefined)
  })
})

describe('userProfileRefusal and groupChangeRefusal', () => {
  it('refuse changes to SCIM users and groups with the reason, and allow INTERNAL ones', () => {
    assert.match(userProfileRefusal('SCIM') ?? '', /identity provider/)
    assert.equal(userProfileRefusal('INTERNAL'), undefined)
    assert.match(groupChangeRefusal('SCIM', 'rename') ?? '', /rename it in the identity provider/)
    assert.match(groupChangeRefusal('SCIM', 'delete') ?? '', /only your identity provider/)
    assert.equal(groupChangeRefusal('INTERNAL', 'rename'), undefined)
    assert.equal(groupChangeRefusal('INTERNAL', 'delete'), undefined)
  })
})
