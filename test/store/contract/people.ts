// The Store contract: a person across tenants: memberships (D7), local credentials, and a member's
// role (D8).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asUserId } from '../../../src/domain/ids.ts'
import { addUser, at, type Fresh } from './support.ts'

export function definePeopleContract(fresh: Fresh): void {
  describe('people', () => {
    it('keeps one local password hash per person and replaces it', async (t) => {
      const { store, ta } = await fresh(t)
      const user = await addUser(ta, 'admin@example.com', { origin: 'INTERNAL', role: 'Admin' })
      assert.equal(await store.people.getLocalCredential(user.id), undefined)
      await store.people.setLocalCredential(user.id, 'scrypt$1', at(1))
      await store.people.setLocalCredential(user.id, 'scrypt$2', at(2))
      assert.equal(await store.people.getLocalCredential(user.id), 'scrypt$2')
    })

    it('sets the role of a member, bumping the version, and lists every membership of a person', async (t) => {
      const { store, a, b, ta, tb } = await fresh(t)
      const user = await addUser(ta, 'role@example.com', { origin: 'INTERNAL' })
      await addUser(tb, 'role@example.com', {
        person: user.id,
        origin: 'SCIM',
        write: { active: false },
      })
      const promoted = await ta.users.setRole(user.id, 'Admin', at(9))
      assert.equal(promoted?.role, 'Admin')
      assert.equal(promoted?.version, user.version + 1)
      assert.equal(promoted?.updatedAt, at(9))
      assert.equal(await ta.users.setRole(asUserId('nobody'), 'Admin', at(9)), undefined)
      const memberships = await store.people.membershipsOf(user.id)
      assert.deepEqual(
        [...memberships].sort((x, y) => (x.tenantId === a.id ? -1 : y.tenantId === a.id ? 1 : 0)),
        [
          { tenantId: a.id, origin: 'INTERNAL', active: true, role: 'Admin' },
          { tenantId: b.id, origin: 'SCIM', active: false, role: 'Viewer' },
        ],
      )
      assert.deepEqual(await store.people.membershipsOf(asUserId('nobody')), [])
    })
  })
}
