// The Store contract: transaction(): commit, rollback, nesting, and concurrent transactions (group
// commit).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asGroupId, asUserId, newTenantId, newUserId } from '../../../src/domain/ids.ts'
import { UniqueViolation } from '../../../src/store/store.ts'
import {
  addGroup,
  addUser,
  at,
  type Fresh,
  groupIdsOf,
  groupWrite,
  logEntry,
  membersOf,
  rejectsUnique,
  users,
  userWrite,
} from './support.ts'

export function defineTransactionsContract(fresh: Fresh): void {
  describe('transactions', () => {
    it('commits a transaction that succeeds and returns its result', async (t) => {
      const { store, a, ta } = await fresh(t)
      let userId = asUserId('')
      const result = await store.transaction(async (trx) => {
        const tx = trx.forTenant(a.id)
        const user = await addUser(tx, 'kim@example.com')
        userId = user.id
        const group = await addGroup(tx, 'Committed')
        await tx.members.upsert(group.id, users(user), 'SCIM', at(2))
        return 42
      })
      assert.equal(result, 42)
      assert.equal((await ta.users.get(userId))?.userName, 'kim@example.com')
      assert.deepEqual(
        (await ta.users.groupsOf([userId])).get(userId)?.map((g) => g.display),
        ['Committed'],
      )
    })

    it("rolls back every write made through the transaction's store when the function throws, and rethrows", async (t) => {
      const { store, a, ta } = await fresh(t)
      const lou = await addUser(ta, 'lou@example.com')
      const old = await addGroup(ta, 'Existing')
      await ta.members.upsert(old.id, users(lou), 'SCIM', at(2))
      const before = {
        lou: await ta.users.get(lou.id),
        old: await ta.groups.get(old.id),
        members: await membersOf(ta, old.id),
        tenant: await store.tenants.getById(a.id),
      }
      const boom = new Error('boom')
      let newUser = asUserId('')
      let newGroup = asGroupId('')
      await assert.rejects(
        store.transaction(async (trx) => {
          const tx = trx.forTenant(a.id)
          newUser = (await addUser(tx, 'new@example.com')).id
          newGroup = (await addGroup(tx, 'Fresh')).id
          await tx.users.update(lou.id, 1, userWrite('louis@example.com'), at(5))
          await tx.users.setIdentityEmail(lou.id, 'louis@example.com')
          await tx.members.upsert(old.id, [{ id: newUser, type: 'User' }], 'SCIM', at(5))
          await tx.members.upsert(old.id, users(lou), 'INTERNAL', at(5))
          await tx.members.upsert(newGroup, users(lou), 'SCIM', at(5))
          await tx.groups.touch(old.id, at(5))
          await tx.groups.update(old.id, 2, groupWrite('Renamed'), at(6))
          await trx.tenants.create({
            id: newTenantId(),
            slug: 'rolled-back',
            name: 'Gone',
            createdAt: at(5),
          })
          await trx.forTenant(a.id).scim.setToken('token-x', at(5))
          await trx.forTenant(a.id).provisioningLog.append([logEntry(a.id, 5)])
          assert.ok(await tx.users.get(newUser), 'the transaction sees its own writes')
          throw boom
        }),
        (error: unknown) => error === boom,
      )
      assert.equal(await ta.users.get(newUser), undefined)
      assert.equal(await ta.users.identityByEmail('new@example.com'), undefined)
      assert.equal(await ta.groups.get(newGroup), undefined)
      assert.equal(await ta.groups.getByName('fresh'), undefined)
      assert.deepEqual(await ta.users.get(lou.id), before.lou)
      assert.equal((await ta.users.identityByEmail('lou@example.com'))?.userId, lou.id)
      assert.deepEqual(await ta.groups.get(old.id), before.old)
      assert.deepEqual(await membersOf(ta, old.id), before.members)
      assert.deepEqual(await groupIdsOf(ta, lou.id), [old.id])
      assert.equal(await store.tenants.getBySlug('rolled-back'), undefined)
      assert.deepEqual(await store.tenants.getById(a.id), before.tenant)
      assert.deepEqual(await store.forTenant(a.id).provisioningLog.list({ limit: 10 }), [])
    })

    it('rolls back earlier writes when a uniqueness failure ends the transaction, and reports UniqueViolation', async (t) => {
      const { store, a, ta } = await fresh(t)
      await addUser(ta, 'taken@example.com')
      let first = asUserId('')
      await rejectsUnique(
        store.transaction(async (trx) => {
          const tx = trx.forTenant(a.id)
          first = (await addUser(tx, 'first@example.com')).id
          const id = newUserId()
          await tx.users.insertIdentity(id, null, at(2))
          await tx.users.insert(
            id,
            userWrite('TAKEN@example.com', { emails: [] }),
            { origin: 'SCIM', role: 'Viewer' },
            at(2),
          )
        }),
        'tenant_users_user_name',
      )
      assert.equal(await ta.users.get(first), undefined)
      assert.equal(await ta.users.identityByEmail('first@example.com'), undefined)
    })

    it('runs a nested transaction inside the outer one: it sees the outer writes and rolls back with it', async (t) => {
      const { store, a, ta } = await fresh(t)
      let outerUser = asUserId('')
      let innerUser = asUserId('')
      const boom = new Error('outer fails after the nested call')
      await assert.rejects(
        store.transaction(async (trx) => {
          const tx = trx.forTenant(a.id)
          outerUser = (await addUser(tx, 'outer@example.com')).id
          const inner = await trx.transaction(async (nested) => {
            const ntx = nested.forTenant(a.id)
            assert.equal((await ntx.users.get(outerUser))?.userName, 'outer@example.com')
            innerUser = (await addUser(ntx, 'inner@example.com')).id
            return 'inner result'
          })
          assert.equal(inner, 'inner result')
          assert.equal((await tx.users.get(innerUser))?.userName, 'inner@example.com')
          throw boom
        }),
        (error: unknown) => error === boom,
      )
      assert.equal(await ta.users.get(outerUser), undefined)
      assert.equal(await ta.users.get(innerUser), undefined)
      assert.equal(await ta.users.identityByEmail('inner@example.com'), undefined)
    })

    it('rolls back only the failing one of several concurrent transactions, and commits the others', async (t) => {
      const { store, a, ta } = await fresh(t)
      await addUser(ta, 'occupied@example.com')
      const boom = new Error('second fails')
      const made: Record<string, string> = {}
      const results = await Promise.allSettled([
        store.transaction(async (trx) => {
          made.one = (await addUser(trx.forTenant(a.id), 'one@example.com')).id
          return 'one'
        }),
        store.transaction(async (trx) => {
          made.two = (await addUser(trx.forTenant(a.id), 'two@example.com')).id
          throw boom
        }),
        store.transaction(async (trx) => {
          made.three = (await addGroup(trx.forTenant(a.id), 'Three')).id
          return 'three'
        }),
        store.transaction(async (trx) => {
          const tx = trx.forTenant(a.id)
          made.four = (await addUser(tx, 'four@example.com')).id
          // The email identity is taken: UniqueViolation after this transaction's first write.
          await addUser(tx, 'OCCUPIED@example.com')
        }),
      ])
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
      )
      assert.equal(results[0]?.status === 'fulfilled' && results[0].value, 'one')
      assert.equal(results[1]?.status === 'rejected' && results[1].reason, boom)
      const fourth = results[3]
      assert.ok(fourth?.status === 'rejected' && fourth.reason instanceof UniqueViolation)
      assert.equal((await ta.users.get(asUserId(made.one ?? '')))?.userName, 'one@example.com')
      assert.equal(await ta.users.get(asUserId(made.two ?? '')), undefined)
      assert.equal(await ta.users.identityByEmail('two@example.com'), undefined)
      assert.equal((await ta.groups.get(asGroupId(made.three ?? '')))?.displayName, 'Three')
      assert.equal(await ta.users.get(asUserId(made.four ?? '')), undefined)
      assert.equal(await ta.users.identityByEmail('four@example.com'), undefined)
    })

    it('commits a nested transaction together with the outer one', async (t) => {
      const { store, a, ta } = await fresh(t)
      let innerUser = asUserId('')
      await store.transaction(async (trx) => {
        await trx.transaction(async (nested) => {
          innerUser = (await addUser(nested.forTenant(a.id), 'nested@example.com')).id
        })
      })
      assert.equal((await ta.users.get(innerUser))?.userName, 'nested@example.com')
    })
  })
}
