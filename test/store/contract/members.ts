// The Store contract: the member repository of a TenantStore: origins (G3–G5), upserts and removals
// by chunks.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newId, newUserId, type UserId } from '../../../src/domain/ids.ts'
import type { MemberReference, MemberType } from '../../../src/store/store.ts'
import {
  addGroup,
  addUser,
  at,
  byFirst,
  type Fresh,
  membersOf,
  memberTuple,
  users,
} from './support.ts'

export function defineMembersContract(fresh: Fresh): void {
  describe('members', () => {
    it('adds members with the given origin and lists them with their display names', async (t) => {
      const { ta } = await fresh(t)
      const uma = await addUser(ta, 'uma@example.com', { write: { displayName: 'Uma Thurman' } })
      const vic = await addUser(ta, 'vic@example.com')
      const sub = await addGroup(ta, 'Sub Team')
      const group = await addGroup(ta, 'Team')
      await ta.members.upsert(
        group.id,
        [...users(uma, vic), { id: sub.id, type: 'Group' }],
        'SCIM',
        at(2),
      )
      assert.deepEqual(
        await membersOf(ta, group.id),
        [
          [uma.id, 'User', 'SCIM', 'Uma Thurman'],
          [vic.id, 'User', 'SCIM', 'vic@example.com'],
          [sub.id, 'Group', 'SCIM', 'Sub Team'],
        ].sort(byFirst),
      )
    })

    it('lists the members of several groups at once, with an empty list for a group without members', async (t) => {
      const { ta } = await fresh(t)
      const user = await addUser(ta, 'wes@example.com')
      const full = await addGroup(ta, 'Full')
      const empty = await addGroup(ta, 'Empty')
      await ta.members.upsert(full.id, users(user), 'INTERNAL', at(2))
      const members = await ta.members.list([full.id, empty.id])
      assert.deepEqual(members.get(full.id)?.map(memberTuple), [
        [user.id, 'User', 'INTERNAL', 'wes@example.com'],
      ])
      assert.deepEqual(members.get(empty.id), [])
    })

    it('pages a group by member id after a cursor, with its display names and the member count', async (t) => {
      const { ta, tb } = await fresh(t)
      const people = []
      for (const n of [1, 2, 3, 4, 5]) {
        people.push(await addUser(ta, `page${n}@example.com`, { write: { displayName: `P ${n}` } }))
      }
      const sub = await addGroup(ta, 'Sub')
      const group = await addGroup(ta, 'Paged')
      const other = await addGroup(ta, 'Other')
      await ta.members.upsert(
        group.id,
        [...users(...people), { id: sub.id, type: 'Group' }],
        'SCIM',
        at(2),
      )
      await ta.members.upsert(other.id, users(people[0]!), 'INTERNAL', at(2))
      // list orders by member id, as the store compares them.
      const all = ((await ta.members.list([group.id])).get(group.id) ?? []).map(memberTuple)
      const first = await ta.members.page(group.id, { limit: 4 })
      assert.equal(first.total, 6)
      assert.deepEqual(first.items.map(memberTuple), all.slice(0, 4))
      const rest = await ta.members.page(group.id, { after: first.items[3]!.memberId, limit: 4 })
      assert.equal(rest.total, 6)
      assert.deepEqual(rest.items.map(memberTuple), all.slice(4))
      const none = await ta.members.page(group.id, { after: all[5]![0] as string, limit: 4 })
      assert.deepEqual(none, { items: [], total: 6 })
      // Another tenant sees nothing of this group.
      assert.deepEqual(await tb.members.page(group.id, { limit: 4 }), { items: [], total: 0 })
      const empty = await addGroup(ta, 'Empty')
      assert.deepEqual(await ta.members.page(empty.id, { limit: 4 }), { items: [], total: 0 })
    })

    it('converts an existing membership of the other origin to the given origin', async (t) => {
      const { ta } = await fresh(t)
      const xan = await addUser(ta, 'xan@example.com')
      const yul = await addUser(ta, 'yul@example.com')
      const group = await addGroup(ta, 'Mixed')
      await ta.members.upsert(group.id, users(xan), 'INTERNAL', at(2))
      await ta.members.upsert(group.id, users(yul), 'SCIM', at(2))
      await ta.members.upsert(group.id, users(xan), 'SCIM', at(3))
      await ta.members.upsert(group.id, users(yul), 'INTERNAL', at(3))
      assert.deepEqual(
        (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
        [
          [xan.id, 'SCIM'],
          [yul.id, 'INTERNAL'],
        ].sort(byFirst),
      )
    })

    it('leaves an existing membership of the other origin alone with keepExisting, and still adds new ones', async (t) => {
      const { ta } = await fresh(t)
      const zed = await addUser(ta, 'zed@example.com')
      const amy = await addUser(ta, 'amy@example.com')
      const group = await addGroup(ta, 'Kept')
      await ta.members.upsert(group.id, users(zed), 'SCIM', at(2))
      await ta.members.upsert(group.id, users(zed, amy), 'INTERNAL', at(3), {
        keepExisting: true,
      })
      assert.deepEqual(
        (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
        [
          [zed.id, 'SCIM'],
          [amy.id, 'INTERNAL'],
        ].sort(byFirst),
      )
    })

    it('stores a member listed twice in one call once', async (t) => {
      const { ta } = await fresh(t)
      const ben = await addUser(ta, 'ben@example.com')
      const group = await addGroup(ta, 'Twice')
      await ta.members.upsert(group.id, users(ben, ben), 'SCIM', at(2))
      await ta.members.upsert(group.id, users(ben, ben), 'INTERNAL', at(3), {
        keepExisting: true,
      })
      assert.deepEqual(await membersOf(ta, group.id), [[ben.id, 'User', 'SCIM', 'ben@example.com']])
    })

    it('removes only the given members of the given origin', async (t) => {
      const { ta } = await fresh(t)
      const cal = await addUser(ta, 'cal@example.com')
      const deb = await addUser(ta, 'deb@example.com')
      const eve = await addUser(ta, 'eve@example.com')
      const group = await addGroup(ta, 'Removal')
      await ta.members.upsert(group.id, users(cal, eve), 'SCIM', at(2))
      await ta.members.upsert(group.id, users(deb), 'INTERNAL', at(2))
      await ta.members.remove(group.id, [cal.id, deb.id, newUserId()], 'SCIM')
      assert.deepEqual(
        (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
        [
          [deb.id, 'INTERNAL'],
          [eve.id, 'SCIM'],
        ].sort(byFirst),
      )
      await ta.members.remove(group.id, [deb.id], 'INTERNAL')
      await ta.members.remove(group.id, [], 'SCIM')
      assert.deepEqual(
        (await membersOf(ta, group.id)).map((m) => m[0]),
        [eve.id],
      )
    })

    it('removes every member of the origin except the kept ones, leaving the other origin alone', async (t) => {
      const { ta } = await fresh(t)
      const [m1, m2, m3, m4] = [
        await addUser(ta, 'm1@example.com'),
        await addUser(ta, 'm2@example.com'),
        await addUser(ta, 'm3@example.com'),
        await addUser(ta, 'm4@example.com'),
      ]
      const group = await addGroup(ta, 'Replace')
      const other = await addGroup(ta, 'Untouched')
      await ta.members.upsert(group.id, users(m1, m2, m3), 'SCIM', at(2))
      await ta.members.upsert(group.id, users(m4), 'INTERNAL', at(2))
      await ta.members.upsert(other.id, users(m1, m2, m3), 'SCIM', at(2))
      await ta.members.removeExcept(group.id, [m2.id, newUserId()], 'SCIM')
      assert.deepEqual(
        (await membersOf(ta, group.id)).map((m) => [m[0], m[2]]),
        [
          [m2.id, 'SCIM'],
          [m4.id, 'INTERNAL'],
        ].sort(byFirst),
      )
      assert.equal((await membersOf(ta, other.id)).length, 3)
      await ta.members.removeExcept(group.id, [], 'SCIM')
      assert.deepEqual(
        (await membersOf(ta, group.id)).map((m) => m[0]),
        [m4.id],
      )
    })

    it('removes every member of the origin except the kept ones when more than 500 ids are kept', async (t) => {
      const { store, ta } = await fresh(t)
      const group = await addGroup(ta, 'Large')
      const other = await addGroup(ta, 'Large too')
      const scim = Array.from({ length: 620 }, () => newUserId())
      const internal = Array.from({ length: 3 }, () => newUserId())
      const refs = (list: UserId[]): MemberReference[] => list.map((id) => ({ id, type: 'User' }))
      await store.transaction(async (trx) => {
        const tx = trx.forTenant(ta.tenantId)
        await tx.members.upsert(group.id, refs(scim), 'SCIM', at(2))
        await tx.members.upsert(group.id, refs(internal), 'INTERNAL', at(2))
        await tx.members.upsert(other.id, refs(scim), 'SCIM', at(2))
      })
      const kept = scim.slice(0, 550)
      const keep = [...kept, ...internal, ...Array.from({ length: 10 }, () => newUserId())]
      await ta.members.removeExcept(group.id, keep, 'SCIM')
      const members = (await ta.members.list([group.id])).get(group.id) ?? []
      assert.deepEqual(
        members
          .filter((m) => m.origin === 'SCIM')
          .map((m) => m.memberId)
          .sort(),
        [...kept].sort(),
      )
      assert.deepEqual(
        members
          .filter((m) => m.origin === 'INTERNAL')
          .map((m) => m.memberId)
          .sort(),
        [...internal].sort(),
      )
      assert.equal(members.length, 553)
      assert.equal(((await ta.members.list([other.id])).get(other.id) ?? []).length, 620)
    })

    it('tells users from groups among the given ids, ignoring unknown ids and other tenants', async (t) => {
      const { ta, tb } = await fresh(t)
      const user = await addUser(ta, 'fay@example.com')
      const group = await addGroup(ta, 'Targets')
      const theirUser = await addUser(tb, 'gus@example.com')
      const theirGroup = await addGroup(tb, 'Their targets')
      const targets = await ta.members.findTargets([
        user.id,
        group.id,
        theirUser.id,
        theirGroup.id,
        newId(),
        user.id,
      ])
      assert.deepEqual(
        targets,
        new Map<string, MemberType>([
          [user.id, 'User'],
          [group.id, 'Group'],
        ]),
      )
      assert.deepEqual(await ta.members.findTargets([]), new Map())
    })
  })
}
