// The Store contract: group → role rules of a TenantStore, and the effective roles the store keeps
// as rules, memberships, groups and own roles change (domain/role-rules.ts effectiveRole).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { UserId } from '../../../src/domain/ids.ts'
import type { TenantStore } from '../../../src/store/store.ts'
import { addGroup, addUser, at, type Fresh, users } from './support.ts'

async function roleOf(tenant: TenantStore, id: UserId): Promise<string | undefined> {
  return (await tenant.users.get(id))?.role
}

export function defineRoleRulesContract(fresh: Fresh): void {
  describe('role rules', () => {
    it('creates, lists, reads and deletes one rule per group, with its member count', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const all = await addGroup(ta, 'All staff', { origin: 'INTERNAL' })
      const ann = await addUser(ta, 'ann@example.com')
      const bob = await addUser(ta, 'bob@example.com')
      await ta.members.upsert(eng.id, users(ann, bob), 'SCIM', at(2))
      await ta.members.upsert(eng.id, [{ id: all.id, type: 'Group' }], 'SCIM', at(2))

      const created = await ta.roleRules.create(eng.id, 'Editor', at(3))
      assert.deepEqual(created, {
        groupId: eng.id,
        groupName: 'Engineering',
        groupOrigin: 'SCIM',
        role: 'Editor',
        memberCount: 2,
        createdAt: at(3),
      })
      assert.equal(await ta.roleRules.create(eng.id, 'Admin', at(4)), undefined)
      assert.equal((await ta.roleRules.get(eng.id))?.role, 'Editor')
      await ta.roleRules.create(all.id, 'Viewer', at(5))
      assert.deepEqual(
        (await ta.roleRules.list()).map((r) => [r.groupName, r.role, r.memberCount]),
        [
          ['All staff', 'Viewer', 0],
          ['Engineering', 'Editor', 2],
        ],
      )
      assert.equal(await ta.roleRules.delete(eng.id), true)
      assert.equal(await ta.roleRules.delete(eng.id), false)
      assert.equal(await ta.roleRules.get(eng.id), undefined)
    })

    it('gives the members of a group its role when the rule is created, and takes it back', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const ann = await addUser(ta, 'ann@example.com')
      const boss = await addUser(ta, 'boss@example.com', { role: 'Admin' })
      const out = await addUser(ta, 'out@example.com')
      await ta.members.upsert(eng.id, users(ann, boss), 'SCIM', at(2))

      await ta.roleRules.create(eng.id, 'Editor', at(3))
      assert.equal(await roleOf(ta, ann.id), 'Editor')
      assert.equal(await roleOf(ta, boss.id), 'Admin', 'a higher own role is kept')
      assert.equal(await roleOf(ta, out.id), 'Viewer')
      const facts = await ta.roleRules.factsOf(ann.id)
      assert.deepEqual(facts, {
        role: 'Editor',
        assignedRole: 'Viewer',
        rules: [{ groupId: eng.id, groupName: 'Engineering', role: 'Editor' }],
      })

      await ta.roleRules.delete(eng.id)
      assert.equal(await roleOf(ta, ann.id), 'Viewer')
      assert.equal(await roleOf(ta, boss.id), 'Admin')
    })

    it('follows member adds and removes of either origin, including a replace of all members', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const ops = await addGroup(ta, 'Ops')
      await ta.roleRules.create(eng.id, 'Editor', at(2))
      await ta.roleRules.create(ops.id, 'Admin', at(2))
      const ann = await addUser(ta, 'ann@example.com')
      const bob = await addUser(ta, 'bob@example.com')
      const cy = await addUser(ta, 'cy@example.com', { origin: 'INTERNAL' })

      await ta.members.upsert(eng.id, users(ann, bob), 'SCIM', at(3))
      await ta.members.upsert(eng.id, users(cy), 'INTERNAL', at(3))
      assert.deepEqual(await Promise.all([ann, bob, cy].map((u) => roleOf(ta, u.id))), [
        'Editor',
        'Editor',
        'Editor',
      ])
      await ta.members.upsert(ops.id, users(ann), 'SCIM', at(4))
      assert.equal(await roleOf(ta, ann.id), 'Admin', 'the highest rule wins')

      await ta.members.remove(ops.id, [ann.id], 'SCIM')
      assert.equal(await roleOf(ta, ann.id), 'Editor')
      await ta.members.remove(eng.id, [cy.id], 'SCIM')
      assert.equal(await roleOf(ta, cy.id), 'Editor', 'an INTERNAL membership is not a SCIM one')
      await ta.members.remove(eng.id, [cy.id], 'INTERNAL')
      assert.equal(await roleOf(ta, cy.id), 'Viewer')

      await ta.members.removeExcept(eng.id, [bob.id], 'SCIM')
      assert.equal(await roleOf(ta, ann.id), 'Viewer')
      assert.equal(await roleOf(ta, bob.id), 'Editor')
      await ta.members.removeExcept(eng.id, [], 'SCIM')
      assert.equal(await roleOf(ta, bob.id), 'Viewer')
    })

    it('keeps the highest of several rules as rules come and go', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const ops = await addGroup(ta, 'Ops')
      const ann = await addUser(ta, 'ann@example.com')
      const aud = await addUser(ta, 'aud@example.com', { role: 'Auditor' })
      await ta.members.upsert(eng.id, users(ann, aud), 'SCIM', at(2))
      await ta.members.upsert(ops.id, users(ann), 'SCIM', at(2))
      await ta.roleRules.create(ops.id, 'Admin', at(3))
      await ta.roleRules.create(eng.id, 'Editor', at(4))
      assert.equal(await roleOf(ta, ann.id), 'Admin', 'a lower new rule leaves a higher role')
      assert.equal(await roleOf(ta, aud.id), 'Editor', "a rule lifts a tenant's own role")
      await ta.roleRules.delete(ops.id)
      assert.equal(await roleOf(ta, ann.id), 'Editor', 'the other rule still applies')
      await ta.roleRules.delete(eng.id)
      assert.equal(await roleOf(ta, ann.id), 'Viewer')
      assert.equal(await roleOf(ta, aud.id), 'Auditor')
    })

    it('takes the role back from the members of a deleted group', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const ann = await addUser(ta, 'ann@example.com')
      await ta.members.upsert(eng.id, users(ann), 'SCIM', at(2))
      await ta.roleRules.create(eng.id, 'Editor', at(3))
      assert.equal(await roleOf(ta, ann.id), 'Editor')
      assert.equal(await ta.groups.delete(eng.id), true)
      assert.equal(await roleOf(ta, ann.id), 'Viewer')
      assert.deepEqual(await ta.roleRules.list(), [])
    })

    it('sets an own role and keeps the highest of it and the rules', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const ann = await addUser(ta, 'ann@example.com')
      await ta.members.upsert(eng.id, users(ann), 'SCIM', at(2))
      await ta.roleRules.create(eng.id, 'Editor', at(3))

      assert.equal((await ta.users.setRole(ann.id, 'Viewer', at(4)))?.role, 'Editor')
      assert.equal((await ta.users.setRole(ann.id, 'Admin', at(5)))?.role, 'Admin')
      await ta.roleRules.delete(eng.id)
      assert.equal(await roleOf(ta, ann.id), 'Admin', 'the own role stays when the rule goes')
      assert.equal((await ta.roleRules.factsOf(ann.id))?.assignedRole, 'Admin')
    })

    it("recomputes a large group's members at once, and never touches another tenant", async (t) => {
      const { ta, tb } = await fresh(t)
      const big = await addGroup(ta, 'Everyone')
      const many = []
      for (let i = 0; i < 1200; i++) many.push(await addUser(ta, `u${i}@example.com`))
      await ta.members.upsert(big.id, users(...many), 'SCIM', at(2))
      const theirs = await addUser(tb, 'u0@example.org')
      await ta.roleRules.create(big.id, 'Editor', at(3))
      assert.equal((await ta.roleRules.get(big.id))?.memberCount, 1200)
      assert.equal(await roleOf(ta, many[0]!.id), 'Editor')
      assert.equal(await roleOf(ta, many[1199]!.id), 'Editor')
      await ta.members.removeExcept(big.id, [], 'SCIM')
      assert.equal(await roleOf(ta, many[777]!.id), 'Viewer')
      assert.equal(await roleOf(tb, theirs.id), 'Viewer')
      assert.equal(await tb.roleRules.get(big.id), undefined)
      assert.equal(await tb.roleRules.delete(big.id), false)
      assert.equal(await tb.roleRules.factsOf(many[0]!.id), undefined)
    })
  })
}
