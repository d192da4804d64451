// The Store contract: migrate(): idempotent, schema and rows unchanged by a second run.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addGroup, addUser, at, type Fresh, groupIdsOf, users } from './support.ts'

export function defineMigrateContract(fresh: Fresh): void {
  describe('migrate', () => {
    it('runs again on a migrated database without error and leaves the schema as it was', async (t) => {
      const { opened, store } = await fresh(t)
      const before = await opened.describeSchema?.()
      await store.migrate()
      await store.migrate()
      const after = await opened.describeSchema?.()
      if (opened.describeSchema) assert.match(JSON.stringify(before), /tenant_users/)
      assert.deepEqual(after, before)
    })

    it('keeps every row when it runs again', async (t) => {
      const { store, a, ta } = await fresh(t)
      const user = await addUser(ta, 'keep@example.com')
      const group = await addGroup(ta, 'Keepers')
      await ta.members.upsert(group.id, users(user), 'SCIM', at(2))
      await store.migrate()
      assert.deepEqual(await store.tenants.getById(a.id), a)
      assert.deepEqual(await ta.users.get(user.id), user)
      assert.deepEqual(await ta.groups.get(group.id), group)
      assert.deepEqual(await groupIdsOf(ta, user.id), [group.id])
    })
  })
}
