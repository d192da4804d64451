// The Store contract: verified domains (D10): per tenant, one verifying tenant per domain, the
// owner lookup.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { asTenantId } from '../../../src/domain/ids.ts'
import { UniqueViolation } from '../../../src/store/store.ts'
import { at, domainRecord, type Fresh, rejectsUnique } from './support.ts'

export function defineDomainsContract(fresh: Fresh): void {
  describe('verified domains', () => {
    it("adds, reads, lists and removes a tenant's domains, normalised", async (t) => {
      const { store, a, b } = await fresh(t)
      const added = await store.forTenant(a.id).domains.add(domainRecord(a.id, 'Contoso.COM'))
      assert.deepEqual(added, { ...domainRecord(a.id, 'contoso.com') })
      await store.forTenant(a.id).domains.add(domainRecord(a.id, 'acme.org'))
      await store
        .forTenant(b.id)
        .domains.add(domainRecord(b.id, 'contoso.com', { challenge: 'other' }))
      assert.deepEqual(await store.forTenant(a.id).domains.get('CONTOSO.com'), added)
      assert.deepEqual(
        (await store.forTenant(a.id).domains.list()).map((d) => d.domain),
        ['acme.org', 'contoso.com'],
      )
      assert.equal((await store.forTenant(b.id).domains.get('contoso.com'))?.challenge, 'other')
      await rejectsUnique(
        store.forTenant(a.id).domains.add(domainRecord(a.id, 'contoso.com')),
        'tenant_domains_tenant',
      )
      assert.equal(await store.forTenant(b.id).domains.remove('acme.org'), false)
      assert.equal(await store.forTenant(a.id).domains.remove('ACME.org'), true)
      assert.equal(await store.forTenant(a.id).domains.get('acme.org'), undefined)
    })

    it('lets one tenant only verify a domain, and names its owner', async (t) => {
      const { store, a, b } = await fresh(t)
      await store.forTenant(a.id).domains.add(domainRecord(a.id, 'contoso.com'))
      await store.forTenant(b.id).domains.add(domainRecord(b.id, 'contoso.com'))
      assert.equal(await store.domains.owner('contoso.com'), undefined)
      const verified = await store.forTenant(a.id).domains.markVerified('contoso.com', {
        at: at(5),
        method: 'operator',
        by: 'ops@example.com',
      })
      assert.equal(verified?.status, 'verified')
      assert.equal(verified?.verifiedAt, at(5))
      assert.equal(verified?.verifiedMethod, 'operator')
      assert.equal(verified?.verifiedBy, 'ops@example.com')
      assert.equal(await store.domains.owner('CONTOSO.com'), a.id)
      await rejectsUnique(
        store
          .forTenant(b.id)
          .domains.markVerified('contoso.com', { at: at(6), method: 'dns', by: 'x' }),
        'tenant_domains_verified',
      )
      assert.equal((await store.forTenant(b.id).domains.get('contoso.com'))?.status, 'pending')
      assert.equal(
        await store
          .forTenant(b.id)
          .domains.markVerified('nope.com', { at: at(6), method: 'dns', by: 'x' }),
        undefined,
      )
      // Removing it frees the domain for another tenant.
      await store.forTenant(a.id).domains.remove('contoso.com')
      assert.equal(await store.domains.owner('contoso.com'), undefined)
      await store
        .forTenant(b.id)
        .domains.markVerified('contoso.com', { at: at(7), method: 'dns', by: 'x' })
      assert.equal(await store.domains.owner('contoso.com'), b.id)
    })

    it('decides two verifications racing for one domain in the database: exactly one wins', async (t) => {
      const { store, a, b } = await fresh(t)
      await store.forTenant(a.id).domains.add(domainRecord(a.id, 'race.com'))
      await store.forTenant(b.id).domains.add(domainRecord(b.id, 'race.com'))
      const results = await Promise.allSettled([
        store.transaction((tx) =>
          tx
            .forTenant(a.id)
            .domains.markVerified('race.com', { at: at(1), method: 'dns', by: 'x' }),
        ),
        store.transaction((tx) =>
          tx
            .forTenant(b.id)
            .domains.markVerified('race.com', { at: at(1), method: 'dns', by: 'x' }),
        ),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const rejected = results.find((r) => r.status === 'rejected')
      assert.ok(rejected && (rejected as PromiseRejectedResult).reason instanceof UniqueViolation)
      assert.ok([a.id, b.id].includes((await store.domains.owner('race.com')) ?? asTenantId('')))
    })

    it('answers the owner inside a transaction too', async (t) => {
      const { store, a } = await fresh(t)
      await store.forTenant(a.id).domains.add(domainRecord(a.id, 'contoso.com'))
      await store
        .forTenant(a.id)
        .domains.markVerified('contoso.com', { at: at(1), method: 'dns', by: 'x' })
      assert.equal(await store.transaction((tx) => tx.domains.owner('contoso.com')), a.id)
    })
  })
}
