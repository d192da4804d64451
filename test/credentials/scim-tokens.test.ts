// The SCIM token services (src/credentials/scim-tokens.ts) as the CLI and the admin API call
// them: SPEC §3's rule that SCIM needs a verified login connection, the operator's force, revoke.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  issueScimToken,
  revokeScimToken,
  verifyScimToken,
} from '../../src/credentials/scim-tokens.ts'
import { createTenant, tenantBySlug } from '../../src/directory/tenants.ts'
import { newConnectionId } from '../../src/domain/ids.ts'
import type { Tenant } from '../../src/domain/types.ts'
import { AppError } from '../../src/errors.ts'
import type { ConnectionStatus, Store } from '../../src/store/store.ts'
import { build } from '../helper.ts'

const REFUSAL =
  'SCIM provisioning for globex needs a verified login connection first: people that another ' +
  "tenant already has can only be moved here by signing in through this tenant's login URL.\n" +
  'Fix: npx rollcall connection create --tenant globex --name N --issuer URL --client-id ID ' +
  '--client-secret-stdin --domain D, then npx rollcall connection verify --tenant globex --id ID ' +
  'and open the link.\n' +
  'Or, as the operator, add --force to issue the token anyway.'

async function addConnection(store: Store, tenant: Tenant, status: ConnectionStatus) {
  const at = new Date().toISOString()
  await store.forTenant(tenant.id).connections.create({
    id: newConnectionId(),
    name: 'Entra ID',
    issuer: 'https://login.example.com/tid/v2.0',
    clientId: 'client-1',
    clientSecretEncrypted: 'v1.sealed',
    domain: `${status}.${tenant.slug}.com`,
    status,
    verifiedAt: status === 'verified' ? at : null,
    jitEnabled: true,
    emailClaims: ['email'],
    createdAt: at,
    updatedAt: at,
  })
}

/** A tenant without a SCIM token, as `tenant create` leaves it. */
function newTenant(store: Store): Promise<Tenant> {
  return createTenant(store, { slug: 'globex', name: 'Globex' })
}

describe('issueScimToken', () => {
  it('refuses with conflict while the tenant has no verified login connection', async (t) => {
    const h = await build(t)
    const tenant = await newTenant(h.store)
    await addConnection(h.store, tenant, 'draft')
    await assert.rejects(
      issueScimToken(h.store, h.signingKey, tenant, h.config.publicUrl),
      (error: unknown) => {
        assert.ok(error instanceof AppError)
        assert.equal(error.code, 'conflict')
        assert.equal(error.detail, REFUSAL)
        return true
      },
    )
    await assert.rejects(
      issueScimToken(h.store, h.signingKey, tenant, h.config.publicUrl, { force: false }),
      /needs a verified login connection/,
    )
    assert.equal((await tenantBySlug(h.store, 'globex')).scimTokenId, null)
  })

  it("issues as the operator's force without one: a token for the tenant's Base URL", async (t) => {
    const h = await build(t)
    const tenant = await newTenant(h.store)
    const issued = await issueScimToken(h.store, h.signingKey, tenant, 'https://rollcall.test', {
      force: true,
    })
    assert.equal(issued.baseUrl, 'https://rollcall.test/scim/v2/globex')
    assert.equal((await tenantBySlug(h.store, 'globex')).scimTokenId, issued.tokenId)
    const check = await verifyScimToken(h.store, h.signingKey, `Bearer ${issued.token}`, 'globex')
    assert.equal(check.ok, true)
  })

  it('issues once a login connection is verified, revoking the previous token', async (t) => {
    const h = await build(t)
    const tenant = await newTenant(h.store)
    await addConnection(h.store, tenant, 'verified')
    const first = await issueScimToken(h.store, h.signingKey, tenant, h.config.publicUrl)
    const second = await issueScimToken(h.store, h.signingKey, tenant, h.config.publicUrl)
    assert.notEqual(first.tokenId, second.tokenId)
    const old = await verifyScimToken(h.store, h.signingKey, `Bearer ${first.token}`, 'globex')
    assert.equal(old.ok, false)
    assert.match(old.ok ? '' : old.reason, /revoked/)
    const current = await verifyScimToken(h.store, h.signingKey, `Bearer ${second.token}`, 'globex')
    assert.equal(current.ok, true)
  })
})

describe('revokeScimToken', () => {
  it("disables SCIM for the tenant: its token stops working, other tenants' do not", async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    await revokeScimToken(h.store, h.acme.tenant)
    assert.equal((await tenantBySlug(h.store, 'acme')).scimTokenId, null)
    const check = await verifyScimToken(h.store, h.signingKey, `Bearer ${h.acme.token}`, 'acme')
    assert.equal(check.ok, false)
    assert.match(check.ok ? '' : check.reason, /disabled/)
    assert.equal((await h.scim(h.acme, 'GET', '/Users')).statusCode, 401)
    assert.equal((await h.scim(globex, 'GET', '/Users')).statusCode, 200)
    // Revoking again is harmless.
    await revokeScimToken(h.store, h.acme.tenant)
    assert.equal((await tenantBySlug(h.store, 'acme')).scimTokenId, null)
  })
})
