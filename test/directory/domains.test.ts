// removeDomain (src/directory/domains.ts) answers with the domain as the service normalised it,
// which `domain remove --json` prints.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDomain, listDomains, removeDomain } from '../../src/directory/domains.ts'
import { AppError } from '../../src/errors.ts'
import { build } from '../helper.ts'

describe('removeDomain', () => {
  it('removes the domain given in any case or spacing and returns it normalised', async (t) => {
    const { store, acme } = await build(t)
    await addDomain(store, acme.tenant, 'contoso.com')
    await addDomain(store, acme.tenant, 'fabrikam.com')
    assert.equal(await removeDomain(store, acme.tenant, '  Contoso.COM '), 'contoso.com')
    assert.deepEqual(
      (await listDomains(store, acme.tenant)).map((d) => d.domain),
      ['fabrikam.com'],
    )
  })

  it('fails with not_found when the tenant has no such domain, naming it normalised', async (t) => {
    const { store, acme } = await build(t)
    await assert.rejects(removeDomain(store, acme.tenant, 'Contoso.com'), (error: unknown) => {
      assert.ok(error instanceof AppError)
      assert.equal(error.code, 'not_found')
      assert.match(error.detail, /no domain contoso\.com\b/)
      return true
    })
  })
})
