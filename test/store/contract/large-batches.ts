// The Store contract: large batches (issue #7): chunked under every engine's bound-parameter limit.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asGroupId, asUserId, newUserId } from '../../../src/domain/ids.ts'
import { parseFilter } from '../../../src/scim/filter/parser.ts'
import type { MemberReference, TenantStore, UserRecord } from '../../../src/store/store.ts'
import { addGroup, addUser, at, type Fresh, ids, query, userWrite } from './support.ts'

export function defineLargeBatchesContract(fresh: Fresh): void {
  describe("large batches (issue #7): chunked under every engine's bound-parameter limit", () => {
    const byEmail = async (tenant: TenantStore, email: string) =>
      ids(await tenant.users.list(query({ filter: parseFilter(`emails.value eq "${email}"`) })))
    const aliases = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        value: `alias${from + i}@example.com`,
        type: 'other',
        primary: false,
      }))

    it('inserts a user with 5,000 emails and rewrites them as 6,000', async (t) => {
      const { ta } = await fresh(t)
      const user = await addUser(ta, 'many@example.com', { write: { emails: aliases(5000, 0) } })
      assert.deepEqual(await byEmail(ta, 'alias4999@example.com'), [user.id])
      const write = userWrite('many@example.com', { emails: aliases(6000, 10_000) })
      assert.ok(await ta.users.update(user.id, user.version, write, at(2)))
      assert.deepEqual(await byEmail(ta, 'alias4999@example.com'), [])
      assert.deepEqual(await byEmail(ta, 'alias15999@example.com'), [user.id])
      assert.deepEqual(await byEmail(ta, 'alias10000@example.com'), [user.id])
    })

    it('upserts, finds, lists and removes 20,000 members of one group', async (t) => {
      const { store, a, ta } = await fresh(t)
      const real = await store.transaction(async (tx) => {
        const tenant = tx.forTenant(a.id)
        const made: UserRecord[] = []
        for (let i = 0; i < 600; i++) made.push(await addUser(tenant, `m${i}@example.com`))
        return made
      })
      const group = await addGroup(ta, 'Everyone')
      const memberIds = [
        ...real.map((u) => u.id),
        ...Array.from({ length: 19_400 }, () => newUserId()),
      ]
      const refs: MemberReference[] = memberIds.map((id) => ({ id, type: 'User' }))
      await ta.members.upsert(group.id, refs, 'SCIM', at(2))
      assert.equal((await ta.members.list([group.id])).get(group.id)?.length, 20_000)
      const targets = await ta.members.findTargets([...memberIds, group.id])
      assert.equal(targets.size, 601)
      assert.equal(targets.get(group.id), 'Group')
      const groupsOf = await ta.users.groupsOf(memberIds)
      assert.equal(groupsOf.size, 20_000)
      assert.deepEqual(groupsOf.get(real[599]?.id ?? asUserId('')), [
        { groupId: group.id, display: 'Everyone' },
      ])
      const manyGroups = await ta.members.list([...memberIds.map(asGroupId), group.id])
      assert.equal(manyGroups.get(group.id)?.length, 20_000)
      await ta.members.removeExcept(group.id, memberIds.slice(0, 15_000), 'SCIM')
      assert.equal((await ta.members.list([group.id])).get(group.id)?.length, 15_000)
      await ta.members.remove(group.id, memberIds.slice(0, 10_000), 'SCIM')
      const left = (await ta.members.list([group.id])).get(group.id) ?? []
      assert.deepEqual(left.map((m) => m.memberId).sort(), memberIds.slice(10_000, 15_000).sort())
    })
  })
}
