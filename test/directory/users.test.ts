// allUsers (src/directory/users.ts): every user of one tenant, a page at a time.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addInternalUser } from '../../src/directory/internal.ts'
import { allUsers } from '../../src/directory/users.ts'
import type { Tenant } from '../../src/domain/types.ts'
import type { ListQuery, Store } from '../../src/store/store.ts'
import { build } from '../helper.ts'

async function userNames(store: Store, tenant: Tenant, pageSize?: number): Promise<string[]> {
  const names = []
  for await (const user of allUsers(store, tenant, pageSize)) names.push(user.userName)
  return names
}

describe('allUsers', () => {
  it('yields nothing for a tenant without users', async (t) => {
    const { store, acme } = await build(t)
    assert.deepEqual(await userNames(store, acme.tenant), [])
  })

  it('yields every user of the tenant once across pages, of every origin, and no other tenant', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    const internal = []
    for (let i = 0; i < 5; i++) {
      internal.push(
        (await addInternalUser(h.store, h.acme.tenant, { email: `u${i}@acme.com` })).userName,
      )
    }
    const created = await h.scim(h.acme, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'scim@acme.com',
    })
    assert.equal(created.statusCode, 201)
    await addInternalUser(h.store, globex.tenant, { email: 'other@globex.com' })

    const expected = [...internal, 'scim@acme.com'].sort()
    // Sizes that divide the count (the last page is full: one more read finds nothing), equal it
    // and exceed it.
    for (const pageSize of [1, 2, 3, 6, 1000]) {
      const names = await userNames(h.store, h.acme.tenant, pageSize)
      assert.equal(names.length, expected.length, `page size ${pageSize}`)
      assert.deepEqual([...names].sort(), expected, `page size ${pageSize}`)
    }
    assert.deepEqual(await userNames(h.store, globex.tenant), ['other@globex.com'])
  })

  it('reads 1000 users a page by default', async (t) => {
    const { store, acme } = await build(t)
    await addInternalUser(store, acme.tenant, { email: 'only@acme.com' })
    const counts: number[] = []
    // allUsers reads only users.list of the tenant's store: record the page sizes it asks for.
    const users = store.forTenant(acme.tenant.id).users
    const recording = {
      forTenant: () => ({
        users: {
          list: (query: ListQuery) => {
            counts.push(query.count)
            return users.list(query)
          },
        },
      }),
    } as unknown as Store
    assert.deepEqual(await userNames(recording, acme.tenant), ['only@acme.com'])
    assert.deepEqual(counts, [1000])
  })
})
