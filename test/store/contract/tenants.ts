// The Store contract: the tenant repository (create, find by slug and id, list) and a tenant's SCIM
// settings.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newTenantId } from '../../../src/domain/ids.ts'
import { at, type Fresh, rejectsUnique } from './support.ts'

export function defineTenantsContract(fresh: Fresh): void {
  describe('tenants', () => {
    it('creates a tenant with SCIM disabled and the lenient profile', async (t) => {
      const { store } = await fresh(t)
      const id = newTenantId()
      const tenant = await store.tenants.create({
        id,
        slug: 'initech',
        name: 'Initech',
        createdAt: at(7),
      })
      assert.deepEqual(tenant, {
        id,
        slug: 'initech',
        name: 'Initech',
        createdAt: at(7),
        scimStrictProfile: false,
        scimTokenId: null,
        scimTokenIssuedAt: null,
      })
    })

    it('refuses a second tenant with the same slug with UniqueViolation tenants_slug', async (t) => {
      const { store, a } = await fresh(t)
      await rejectsUnique(
        store.tenants.create({
          id: newTenantId(),
          slug: 'acme',
          name: 'Other Acme',
          createdAt: at(1),
        }),
        'tenants_slug',
      )
      assert.deepEqual(await store.tenants.getBySlug('acme'), a)
    })

    it('finds a tenant by slug and by id, and answers undefined for unknown ones', async (t) => {
      const { store, a, b } = await fresh(t)
      assert.deepEqual(await store.tenants.getBySlug('acme'), a)
      assert.deepEqual(await store.tenants.getBySlug('globex'), b)
      assert.deepEqual(await store.tenants.getById(b.id), b)
      assert.equal(await store.tenants.getBySlug('nope'), undefined)
      assert.equal(await store.tenants.getById(newTenantId()), undefined)
    })

    it('lists every tenant sorted by slug', async (t) => {
      const { store } = await fresh(t)
      await store.tenants.create({
        id: newTenantId(),
        slug: 'zeta',
        name: 'Zeta',
        createdAt: at(1),
      })
      await store.tenants.create({
        id: newTenantId(),
        slug: 'beta',
        name: 'Beta',
        createdAt: at(2),
      })
      const tenants = await store.tenants.list()
      assert.deepEqual(
        tenants.map((tenant) => tenant.slug),
        ['acme', 'beta', 'globex', 'zeta'],
      )
    })

    it('sets and clears the SCIM token id of one tenant only', async (t) => {
      const { store, a, b } = await fresh(t)
      await store.forTenant(a.id).scim.setToken('token-1', at(5))
      assert.equal((await store.tenants.getById(a.id))?.scimTokenId, 'token-1')
      assert.equal((await store.tenants.getBySlug('globex'))?.scimTokenId, null)
      await store.forTenant(a.id).scim.setToken('token-2', at(6))
      assert.equal((await store.tenants.getById(a.id))?.scimTokenId, 'token-2')
      assert.equal((await store.tenants.getById(a.id))?.scimTokenIssuedAt, at(6))
      await store.forTenant(a.id).scim.setToken(null, at(7))
      assert.deepEqual(await store.tenants.getById(a.id), a)
      assert.deepEqual(await store.tenants.getById(b.id), b)
    })

    it('turns the strict SCIM profile on and off for one tenant only', async (t) => {
      const { store, a, b } = await fresh(t)
      await store.forTenant(a.id).scim.setStrictProfile(true)
      assert.equal((await store.tenants.getById(a.id))?.scimStrictProfile, true)
      assert.equal((await store.tenants.getById(b.id))?.scimStrictProfile, false)
      await store.forTenant(a.id).scim.setStrictProfile(false)
      assert.deepEqual(await store.tenants.getById(a.id), a)
    })
  })
}
