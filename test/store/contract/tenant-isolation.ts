// The Store contract: tenancy: a TenantStore reads and changes its own tenant's rows only.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseFilter } from '../../../src/scim/filter/parser.ts'
import {
  addGroup,
  addUser,
  at,
  type Fixture,
  type Fresh,
  groupIdsOf,
  groupWrite,
  ids,
  membersOf,
  query,
  users,
  userWrite,
} from './support.ts'

export function defineTenantIsolationContract(fresh: Fresh): void {
  describe('tenant isolation', () => {
    /** The same userName, person-less names and group names in both tenants. */
    async function twins(fixture: Fixture) {
      const { ta, tb } = fixture
      const ua = await addUser(ta, 'jsmith', { write: { displayName: 'J Smith' } })
      const ub = await addUser(tb, 'jsmith', { write: { displayName: 'J Smith' } })
      const ga = await addGroup(ta, 'Admins')
      const gb = await addGroup(tb, 'Admins')
      await ta.members.upsert(ga.id, users(ua), 'SCIM', at(2))
      await tb.members.upsert(gb.id, users(ub), 'SCIM', at(2))
      // Re-read: the member writes do not change the rows, but compare what is stored.
      return {
        ua: (await ta.users.get(ua.id)) ?? ua,
        ub: (await tb.users.get(ub.id)) ?? ub,
        ga: (await ta.groups.get(ga.id)) ?? ga,
        gb: (await tb.groups.get(gb.id)) ?? gb,
      }
    }

    it("reads none of the other tenant's users, groups, members or names", async (t) => {
      const fixture = await fresh(t)
      const { ta, tb } = fixture
      const { ua, ub, ga, gb } = await twins(fixture)
      assert.equal(await ta.users.get(ub.id), undefined)
      assert.equal(await ta.users.findIdByUserName('JSMITH'), ua.id)
      assert.equal(await tb.users.findIdByUserName('jsmith'), ub.id)
      assert.equal(await ta.groups.get(gb.id), undefined)
      assert.deepEqual(await ta.groups.getByName('admins'), ga)
      assert.deepEqual(await tb.groups.getByName('ADMINS'), gb)
      assert.deepEqual(await ta.members.list([gb.id]), new Map([[gb.id, []]]))
      assert.deepEqual(await ta.users.groupsOf([ub.id]), new Map())
      assert.deepEqual(await ta.members.findTargets([ub.id, gb.id]), new Map())
    })

    it('lists and counts only its own rows when both tenants hold the same names', async (t) => {
      const fixture = await fresh(t)
      const { ta, tb } = fixture
      const { ua, ub, ga, gb } = await twins(fixture)
      const filter = parseFilter('userName eq "jsmith"')
      assert.deepEqual(ids(await ta.users.list(query())), [ua.id])
      assert.deepEqual(ids(await ta.users.list(query({ filter }))), [ua.id])
      assert.deepEqual(ids(await tb.users.list(query({ filter }))), [ub.id])
      assert.deepEqual(await ta.users.list(query({ count: 0 })), { totalResults: 1, items: [] })
      assert.deepEqual(ids(await ta.groups.list(query())), [ga.id])
      assert.deepEqual(
        ids(await tb.groups.list(query({ filter: parseFilter('displayName eq "admins"') }))),
        [gb.id],
      )
      assert.deepEqual(
        ids(await ta.users.list(query({ filter: parseFilter(`groups.value eq "${gb.id}"`) }))),
        [],
      )
      assert.deepEqual(
        ids(await ta.groups.list(query({ filter: parseFilter(`members.value eq "${ub.id}"`) }))),
        [],
      )
      const paged = await ta.users.list(query({ startIndex: 2, count: 1 }))
      assert.deepEqual(paged, { totalResults: 1, items: [] })
    })

    it("changes none of the other tenant's rows through updates, touches, deletes or member writes", async (t) => {
      const fixture = await fresh(t)
      const { ta, tb } = fixture
      const { ua, ub, ga, gb } = await twins(fixture)
      assert.equal(await ta.users.update(ub.id, 1, userWrite('taken-over'), at(5)), undefined)
      assert.equal(await ta.groups.update(gb.id, 1, groupWrite('Taken over'), at(5)), undefined)
      await ta.groups.touch(gb.id, at(5))
      await ta.members.remove(gb.id, [ub.id], 'SCIM')
      await ta.members.removeExcept(gb.id, [], 'SCIM')
      // Adding to a group that is not in this tenant must not reach the other tenant's group.
      await ta.members.upsert(gb.id, users(ua), 'SCIM', at(5)).catch(() => undefined)
      assert.equal(await ta.users.delete(ub.id), false)
      assert.equal(await ta.groups.delete(gb.id), false)

      assert.deepEqual(await tb.users.get(ub.id), ub)
      assert.deepEqual(await tb.groups.get(gb.id), gb)
      assert.deepEqual(await membersOf(tb, gb.id), [[ub.id, 'User', 'SCIM', 'J Smith']])
      assert.deepEqual(await groupIdsOf(tb, ub.id), [gb.id])
      // And this tenant's own rows are as they were.
      assert.deepEqual(await ta.users.get(ua.id), ua)
      assert.deepEqual(await ta.groups.get(ga.id), ga)
      assert.deepEqual(await membersOf(ta, ga.id), [[ua.id, 'User', 'SCIM', 'J Smith']])
    })

    it('updates and deletes one membership of a person who belongs to both tenants, leaving the other', async (t) => {
      const { ta, tb } = await fresh(t)
      const pat = await addUser(ta, 'pat@example.com', { origin: 'INTERNAL' })
      const patB = await addUser(tb, 'pat@example.com', { person: pat.id, origin: 'SCIM' })
      const ga = await addGroup(ta, 'Crew')
      const gb = await addGroup(tb, 'Crew')
      await ta.members.upsert(ga.id, users(pat), 'SCIM', at(2))
      await tb.members.upsert(gb.id, users(patB), 'SCIM', at(2))

      const updated = await ta.users.update(
        pat.id,
        1,
        userWrite('pat@example.com', { displayName: 'Pat A' }),
        at(3),
      )
      assert.equal(updated?.version, 2)
      assert.deepEqual(await tb.users.get(pat.id), patB)
      assert.equal(await ta.users.delete(pat.id), true)
      assert.deepEqual(await tb.users.get(pat.id), patB)
      assert.deepEqual(await groupIdsOf(tb, pat.id), [gb.id])
      assert.deepEqual(
        ids(
          await tb.users.list(query({ filter: parseFilter('emails.value eq "pat@example.com"') })),
        ),
        [pat.id],
      )
      assert.deepEqual(await tb.users.identityByEmail('pat@example.com'), {
        userId: pat.id,
        inThisTenant: { origin: 'SCIM' },
        otherTenantCount: 0,
        scimControlledElsewhere: false,
      })
    })
  })
}
