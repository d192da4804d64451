// The Store contract: login connections: a tenant's own, and the lookups by id and by verified
// domain (D11).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newConnectionId, type TenantId } from '../../../src/domain/ids.ts'
import type { LoginConnectionRecord } from '../../../src/store/store.ts'
import { at, domainRecord, type Fresh, rejectsUnique } from './support.ts'

export function defineConnectionsContract(fresh: Fresh): void {
  describe('login connections', () => {
    function connection(
      tenantId: TenantId,
      domain: string,
      overrides: Partial<LoginConnectionRecord> = {},
    ): LoginConnectionRecord {
      return {
        id: newConnectionId(),
        tenantId,
        name: `IdP of ${domain}`,
        issuer: 'https://login.example.com/tid/v2.0',
        clientId: 'client-1',
        clientSecretEncrypted: 'v1.sealed',
        domain,
        status: 'draft',
        verifiedAt: null,
        jitEnabled: true,
        emailClaims: ['email', 'preferred_username', 'upn'],
        createdAt: at(1),
        updatedAt: at(1),
        ...overrides,
      }
    }

    it('creates, reads, lists, updates and deletes login connections of a tenant', async (t) => {
      const { store, a, b } = await fresh(t)
      const first = await store.forTenant(a.id).connections.create(connection(a.id, 'Acme.com'))
      const second = await store.forTenant(a.id).connections.create(
        connection(a.id, 'acme.org', {
          createdAt: at(2),
          jitEnabled: false,
          emailClaims: ['upn'],
        }),
      )
      await store.forTenant(b.id).connections.create(connection(b.id, 'globex.com'))
      assert.deepEqual(await store.connections.get(first.id), first)
      assert.equal(first.domain, 'Acme.com')
      assert.deepEqual(second.emailClaims, ['upn'])
      assert.equal(second.jitEnabled, false)
      assert.deepEqual(
        (await store.forTenant(a.id).connections.list()).map((c) => c.id),
        [first.id, second.id],
      )
      // Only a domain its tenant verified routes to a connection (D11).
      assert.equal(await store.connections.byDomain('ACME.COM'), undefined)
      await store.forTenant(a.id).domains.add(domainRecord(a.id, 'acme.com'))
      assert.equal(await store.connections.byDomain('ACME.COM'), undefined)
      await store
        .forTenant(a.id)
        .domains.markVerified('acme.com', { at: at(3), method: 'dns', by: 'x' })
      assert.equal((await store.connections.byDomain('ACME.COM'))?.id, first.id)
      assert.equal(await store.connections.byDomain('nope.com'), undefined)

      const updated = await store
        .forTenant(a.id)
        .connections.update(
          first.id,
          { status: 'verified', verifiedAt: at(5), name: 'Entra', jitEnabled: false },
          at(5),
        )
      assert.equal(updated?.status, 'verified')
      assert.equal(updated?.verifiedAt, at(5))
      assert.equal(updated?.name, 'Entra')
      assert.equal(updated?.jitEnabled, false)
      assert.equal(updated?.issuer, first.issuer)
      assert.equal(updated?.updatedAt, at(5))
      // Another tenant's id is not found through this tenant.
      assert.equal(
        await store.forTenant(b.id).connections.update(first.id, { name: 'x' }, at(6)),
        undefined,
      )
      assert.equal(await store.forTenant(b.id).connections.delete(first.id), false)
      assert.equal(await store.forTenant(a.id).connections.delete(first.id), true)
      assert.equal(await store.connections.get(first.id), undefined)
      assert.equal(await store.forTenant(a.id).connections.delete(first.id), false)
    })

    it('refuses a second connection with the same domain in one tenant, case-insensitively', async (t) => {
      const { store, a, b } = await fresh(t)
      const first = await store.forTenant(a.id).connections.create(connection(a.id, 'acme.com'))
      await rejectsUnique(
        store.forTenant(a.id).connections.create(connection(a.id, 'ACME.com')),
        'login_connections_domain',
      )
      const other = await store.forTenant(a.id).connections.create(connection(a.id, 'globex.com'))
      await rejectsUnique(
        store.forTenant(a.id).connections.update(other.id, { domain: 'Acme.COM' }, at(3)),
        'login_connections_domain',
      )
      assert.equal((await store.connections.get(first.id))?.domain, 'acme.com')
      // Another tenant may name the same domain: first come must not block its owner.
      const elsewhere = await store.forTenant(b.id).connections.create(connection(b.id, 'ACME.com'))
      await store.forTenant(b.id).domains.add(domainRecord(b.id, 'acme.com'))
      await store
        .forTenant(b.id)
        .domains.markVerified('acme.com', { at: at(4), method: 'dns', by: 'x' })
      assert.equal((await store.connections.byDomain('acme.com'))?.id, elsewhere.id)
    })
  })
}
