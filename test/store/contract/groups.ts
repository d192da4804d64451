// The Store contract: the group repository of a TenantStore: identified by name (G1),
// compare-and-set updates.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newGroupId } from '../../../src/domain/ids.ts'
import { SCIM_GROUP_SCHEMA_URN } from '../../../src/scim/schemas/index.ts'
import {
  addGroup,
  addUser,
  at,
  type Fresh,
  groupIdsOf,
  groupWrite,
  ids,
  membersOf,
  query,
  rejectsUnique,
  users,
} from './support.ts'

export function defineGroupsContract(fresh: Fresh): void {
  describe('groups', () => {
    it('reads back an inserted group with version 1', async (t) => {
      const { a, ta } = await fresh(t)
      const id = newGroupId()
      const write = groupWrite('Engineering', {
        externalId: 'ext-eng',
        doc: { schemas: [SCIM_GROUP_SCHEMA_URN], displayName: 'Engineering', extra: { n: 1 } },
      })
      const group = await ta.groups.insert(id, write, 'INTERNAL', at(3))
      assert.deepEqual(group, {
        tenantId: a.id,
        id,
        displayName: 'Engineering',
        externalId: 'ext-eng',
        origin: 'INTERNAL',
        doc: write.doc,
        version: 1,
        createdAt: at(3),
        updatedAt: at(3),
      })
      assert.deepEqual(await ta.groups.get(id), group)
      assert.equal(await ta.groups.get(newGroupId()), undefined)
    })

    it('refuses a second group whose name differs only in case with UniqueViolation groups_display_name', async (t) => {
      const { ta } = await fresh(t)
      const first = await addGroup(ta, 'Sales Team')
      await rejectsUnique(
        ta.groups.insert(newGroupId(), groupWrite('SALES team'), 'SCIM', at(2)),
        'groups_display_name',
      )
      assert.deepEqual(ids(await ta.groups.list(query())), [first.id])
    })

    it('finds a group by name case-insensitively, and nothing for an unknown name', async (t) => {
      const { ta } = await fresh(t)
      const group = await addGroup(ta, 'Data Science')
      assert.deepEqual(await ta.groups.getByName('data science'), group)
      assert.deepEqual(await ta.groups.getByName('DATA SCIENCE'), group)
      assert.equal(await ta.groups.getByName('Data'), undefined)
    })

    it('updates a group whose version matches, bumping the version and keeping createdAt', async (t) => {
      const { ta } = await fresh(t)
      const group = await addGroup(ta, 'Marketing', { at: at(1) })
      const write = groupWrite('Growth', {
        externalId: 'ext-growth',
        doc: { schemas: [SCIM_GROUP_SCHEMA_URN], displayName: 'Growth' },
      })
      const updated = await ta.groups.update(group.id, 1, write, at(4))
      assert.deepEqual(updated, {
        ...group,
        displayName: 'Growth',
        externalId: 'ext-growth',
        doc: write.doc,
        version: 2,
        updatedAt: at(4),
      })
      assert.deepEqual(await ta.groups.get(group.id), updated)
      assert.equal(await ta.groups.getByName('marketing'), undefined)
      assert.deepEqual(await ta.groups.getByName('growth'), updated)
    })

    it('returns undefined and changes nothing when the group version is stale', async (t) => {
      const { ta } = await fresh(t)
      const group = await addGroup(ta, 'Finance')
      const updated = await ta.groups.update(group.id, 1, groupWrite('Finance EU'), at(2))
      assert.equal(updated?.version, 2)
      assert.equal(await ta.groups.update(group.id, 1, groupWrite('Finance US'), at(3)), undefined)
      assert.deepEqual(await ta.groups.get(group.id), updated)
      assert.equal(await ta.groups.update(newGroupId(), 1, groupWrite('Nobody'), at(3)), undefined)
    })

    it('converts the origin of a group when asked, and keeps it otherwise', async (t) => {
      const { ta } = await fresh(t)
      const group = await addGroup(ta, 'Legal', { origin: 'INTERNAL' })
      const same = await ta.groups.update(group.id, 1, groupWrite('Legal'), at(2))
      assert.equal(same?.origin, 'INTERNAL')
      const converted = await ta.groups.update(group.id, 2, groupWrite('Legal'), at(3), {
        origin: 'SCIM',
      })
      assert.equal(converted?.origin, 'SCIM')
      assert.equal((await ta.groups.get(group.id))?.origin, 'SCIM')
    })

    it('refuses a rename to a name another group has, case-insensitively, and changes nothing', async (t) => {
      const { ta } = await fresh(t)
      await addGroup(ta, 'Support')
      const other = await addGroup(ta, 'Helpdesk')
      await rejectsUnique(
        ta.groups.update(other.id, 1, groupWrite('SUPPORT'), at(2)),
        'groups_display_name',
      )
      assert.deepEqual(await ta.groups.get(other.id), other)
    })

    it('touches a group: version bumped and updatedAt set, everything else kept', async (t) => {
      const { ta } = await fresh(t)
      const group = await addGroup(ta, 'Platform', { at: at(1) })
      await ta.groups.touch(group.id, at(8))
      assert.deepEqual(await ta.groups.get(group.id), { ...group, version: 2, updatedAt: at(8) })
      await ta.groups.touch(group.id, at(9))
      assert.deepEqual(await ta.groups.get(group.id), { ...group, version: 3, updatedAt: at(9) })
      // The bumped version is the one compare-and-set expects.
      assert.equal(await ta.groups.update(group.id, 1, groupWrite('Platform'), at(10)), undefined)
      assert.equal(
        (await ta.groups.update(group.id, 3, groupWrite('Platform'), at(10)))?.version,
        4,
      )
    })

    it('deletes a group with its members, removes it from the groups it belonged to, and returns false the second time', async (t) => {
      const { ta } = await fresh(t)
      const user = await addUser(ta, 'kate@example.com')
      const parent = await addGroup(ta, 'Parent')
      const child = await addGroup(ta, 'Child')
      await ta.members.upsert(
        parent.id,
        [...users(user), { id: child.id, type: 'Group' }],
        'SCIM',
        at(2),
      )
      await ta.members.upsert(child.id, users(user), 'SCIM', at(2))

      assert.equal(await ta.groups.delete(child.id), true)
      assert.equal(await ta.groups.get(child.id), undefined)
      assert.deepEqual(
        (await membersOf(ta, parent.id)).map((m) => m[0]),
        [user.id],
      )
      assert.deepEqual(await groupIdsOf(ta, user.id), [parent.id])
      assert.deepEqual(await ta.members.findTargets([child.id]), new Map())
      assert.equal(await ta.groups.delete(child.id), false)

      // A group created again under the same id starts without members.
      await ta.groups.insert(child.id, groupWrite('Child'), 'SCIM', at(3))
      assert.deepEqual(await membersOf(ta, child.id), [])
    })
  })
}
