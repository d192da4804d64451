// The tenant services the CLI and the admin API share: createTenant, tenantBySlug,
// setScimStrictProfile (src/directory/tenants.ts), on the store of build(t).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTenant, setScimStrictProfile, tenantBySlug } from '../../src/directory/tenants.ts'
import { AppError, type ErrorCode } from '../../src/errors.ts'
import { build } from '../helper.ts'

function appError(code: ErrorCode, detail: string | RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`)
    assert.equal(error.code, code)
    if (typeof detail === 'string') assert.equal(error.detail, detail)
    else assert.match(error.detail, detail)
    return true
  }
}

describe('createTenant', () => {
  it('creates a tenant with a new id, SCIM disabled and the lenient profile', async (t) => {
    const { store } = await build(t)
    const now = new Date('2025-03-04T05:06:07.000Z')
    const tenant = await createTenant(store, { slug: 'globex', name: 'Globex Corp' }, now)
    assert.equal(tenant.slug, 'globex')
    assert.equal(tenant.name, 'Globex Corp')
    assert.equal(tenant.scimTokenId, null)
    assert.equal(tenant.scimStrictProfile, false)
    assert.deepEqual(await store.tenants.getById(tenant.id), tenant)
    assert.equal((await store.tenants.getById(tenant.id))?.createdAt, now.toISOString())
  })

  it('names the tenant after its slug when no name is given', async (t) => {
    const { store } = await build(t)
    assert.equal((await createTenant(store, { slug: 'initech' })).name, 'initech')
  })

  it('refuses a slug that is taken with conflict "A tenant "acme" already exists."', async (t) => {
    const { store } = await build(t)
    await assert.rejects(
      createTenant(store, { slug: 'acme', name: 'Another Acme' }),
      appError('conflict', 'A tenant "acme" already exists.'),
    )
    assert.equal((await store.tenants.list()).length, 1)
  })

  it('refuses a malformed slug with invalid_request, creating nothing', async (t) => {
    const { store } = await build(t)
    for (const slug of ['Acme', 'acme corp', '-acme', '', 'a'.repeat(64)]) {
      await assert.rejects(createTenant(store, { slug }), appError('invalid_request', /slug/))
    }
    assert.deepEqual(
      (await store.tenants.list()).map((tenant) => tenant.slug),
      ['acme'],
    )
  })
})

describe('tenantBySlug', () => {
  it('finds a tenant by its slug', async (t) => {
    const { store, acme } = await build(t)
    assert.deepEqual(await tenantBySlug(store, 'acme'), acme.tenant)
  })

  it('fails with not_found pointing at `tenant list` for an unknown slug', async (t) => {
    const { store } = await build(t)
    await assert.rejects(
      tenantBySlug(store, 'nope'),
      appError('not_found', 'No tenant "nope". See `npx rollcall tenant list`.'),
    )
  })
})

describe('setScimStrictProfile', () => {
  it("turns the tenant's strict SCIM profile on and off, leaving other tenants alone", async (t) => {
    const { store, acme, addTenant } = await build(t)
    const globex = await addTenant('globex')
    await setScimStrictProfile(store, acme.tenant, true)
    assert.equal((await tenantBySlug(store, 'acme')).scimStrictProfile, true)
    assert.equal((await tenantBySlug(store, 'globex')).scimStrictProfile, false)
    await setScimStrictProfile(store, acme.tenant, false)
    assert.equal((await tenantBySlug(store, 'acme')).scimStrictProfile, false)
    assert.equal(globex.tenant.scimStrictProfile, false)
  })
})
