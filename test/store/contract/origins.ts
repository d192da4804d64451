// The Store contract: the origins of a TenantStore — what SCIM controls, and releasing it to
// INTERNAL in bounded chunks (the hand back), tenant by tenant.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addGroup, addUser, at, type Fresh, membersOf, users } from './support.ts'

export function defineOriginsContract(fresh: Fresh): void {
  describe('origins', () => {
    it('counts and samples what SCIM controls, by name', async (t) => {
      const { ta, tb } = await fresh(t)
      const zed = await addUser(ta, 'zed@example.com')
      const amy = await addUser(ta, 'amy@example.com')
      await addUser(ta, 'int@example.com', { origin: 'INTERNAL' })
      await addUser(tb, 'other@example.com')
      const team = await addGroup(ta, 'Team')
      await addGroup(ta, 'Local', { origin: 'INTERNAL' })
      await ta.members.upsert(team.id, users(zed, amy), 'SCIM', at(2))
      const summary = await ta.origins.scimControlled(1)
      assert.deepEqual(summary, {
        users: { count: 2, sample: [{ id: amy.id, userName: 'amy@example.com' }] },
        groups: { count: 1, sample: [{ id: team.id, displayName: 'Team' }] },
        memberships: { count: 2 },
      })
    })

    it('releases at most the limit per call, users first, until nothing is left', async (t) => {
      const { ta, tb } = await fresh(t)
      const list = []
      for (let i = 0; i < 5; i++) list.push(await addUser(ta, `u${i}@example.com`))
      const team = await addGroup(ta, 'Team')
      await ta.members.upsert(team.id, users(...list), 'SCIM', at(2))
      const theirs = await addUser(tb, 'other@example.com')

      assert.deepEqual(await ta.origins.releaseToInternal(4, at(3)), {
        users: 4,
        groups: 0,
        memberships: 0,
      })
      assert.deepEqual(await ta.origins.releaseToInternal(4, at(3)), {
        users: 1,
        groups: 1,
        memberships: 2,
      })
      assert.deepEqual(await ta.origins.releaseToInternal(4, at(3)), {
        users: 0,
        groups: 0,
        memberships: 3,
      })
      assert.deepEqual(await ta.origins.releaseToInternal(4, at(3)), {
        users: 0,
        groups: 0,
        memberships: 0,
      })
      const user = await ta.users.get(list[0]!.id)
      assert.equal(user?.origin, 'INTERNAL')
      assert.equal(user?.version, list[0]!.version + 1)
      assert.equal((await ta.groups.get(team.id))?.origin, 'INTERNAL')
      assert.ok((await membersOf(ta, team.id)).every((m) => m[2] === 'INTERNAL'))
      assert.equal((await tb.users.get(theirs.id))?.origin, 'SCIM')
      assert.equal((await ta.origins.scimControlled(5)).users.count, 0)
    })
  })
}
