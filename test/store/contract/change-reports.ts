// The Store contract: what write methods report for the event log — the memberships a member
// change added or removed, the users whose effective role moved (role rules, member changes,
// group deletes), the records a hand back released — and the batched reads by id.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newGroupId, newUserId, type GroupId, type UserId } from '../../../src/domain/ids.ts'
import { addGroup, addUser, at, type Fresh, users } from './support.ts'

const sorted = (ids: readonly string[]) => [...ids].sort()

export function defineChangeReportsContract(fresh: Fresh): void {
  describe('change reports', () => {
    it('reports the memberships that came or went, not those that stayed or changed origin', async (t) => {
      const { ta } = await fresh(t)
      const group = await addGroup(ta, 'Team')
      const sub = await addGroup(ta, 'Sub')
      const [ann, bob, cy] = [
        await addUser(ta, 'ann@example.com'),
        await addUser(ta, 'bob@example.com'),
        await addUser(ta, 'cy@example.com'),
      ]
      const first = await ta.members.upsert(group.id, users(ann!, bob!), 'INTERNAL', at(2))
      assert.deepEqual(sorted(first.members.map((m) => m.id)), sorted([ann!.id, bob!.id]))
      assert.deepEqual(first.roleChanged, [])
      // bob is a member already (his row turns SCIM): only cy and the group are added.
      const second = await ta.members.upsert(
        group.id,
        [...users(bob!, cy!), { id: sub.id, type: 'Group' }],
        'SCIM',
        at(3),
      )
      assert.deepEqual(
        sorted(second.members.map((m) => `${m.type}:${m.id}`)),
        sorted([`User:${cy!.id}`, `Group:${sub.id}`]),
      )
      // Only SCIM rows go: ann's INTERNAL one stays and is not reported.
      const removed = await ta.members.remove(group.id, [ann!.id, cy!.id, newUserId()], 'SCIM')
      assert.deepEqual(removed.members, [{ id: cy!.id, type: 'User' }])
      const rest = await ta.members.removeExcept(group.id, [], 'SCIM')
      assert.deepEqual(sorted(rest.members.map((m) => m.id)), sorted([bob!.id, sub.id]))
      assert.deepEqual((await ta.members.remove(group.id, [cy!.id], 'SCIM')).members, [])
    })

    it('reports the users whose effective role a rule, a member change or a group delete moved', async (t) => {
      const { ta } = await fresh(t)
      const eng = await addGroup(ta, 'Engineering')
      const ann = await addUser(ta, 'ann@example.com')
      const boss = await addUser(ta, 'boss@example.com', { role: 'Admin' })
      const cy = await addUser(ta, 'cy@example.com')
      await ta.members.upsert(eng.id, users(ann, boss), 'SCIM', at(2))
      const raised: UserId[] = []
      await ta.roleRules.create(eng.id, 'Editor', at(3), raised)
      // The Admin outranks the rule: only ann's role moved.
      assert.deepEqual(raised, [ann.id])
      const joined = await ta.members.upsert(eng.id, users(cy), 'SCIM', at(4))
      assert.deepEqual(joined.roleChanged, [cy.id])
      const left = await ta.members.remove(eng.id, [cy.id], 'SCIM')
      assert.deepEqual(left.roleChanged, [cy.id])
      const lowered: UserId[] = []
      assert.equal(await ta.roleRules.delete(eng.id, lowered), true)
      assert.deepEqual(lowered, [ann.id])
      await ta.roleRules.create(eng.id, 'Editor', at(5))
      const gone: UserId[] = []
      assert.equal(await ta.groups.delete(eng.id, gone), true)
      assert.deepEqual(gone, [ann.id])
      assert.equal((await ta.users.get(ann.id))?.role, 'Viewer')
    })

    it('reads users and groups by id in batches, only the tenant’s own', async (t) => {
      const { ta, tb } = await fresh(t)
      const mine = await addUser(ta, 'me@example.com')
      const theirs = await addUser(tb, 'them@example.com')
      const group = await addGroup(ta, 'Mine')
      const many = await ta.users.getMany([mine.id, theirs.id, mine.id, newUserId()])
      assert.deepEqual(
        many.map((u) => u.userName),
        ['me@example.com'],
      )
      assert.deepEqual(
        (await ta.groups.getMany([group.id, newGroupId()])).map((g) => g.displayName),
        ['Mine'],
      )
      assert.deepEqual(await tb.groups.getMany([group.id]), [])
    })

    it('reports the users and groups a hand back released', async (t) => {
      const { ta } = await fresh(t)
      const user = await addUser(ta, 'sc@example.com')
      const group = await addGroup(ta, 'Scim group')
      const released = { userIds: [] as UserId[], groupIds: [] as GroupId[] }
      await ta.origins.releaseToInternal(10, at(2), released)
      assert.deepEqual(released, { userIds: [user.id], groupIds: [group.id] })
    })
  })
}
