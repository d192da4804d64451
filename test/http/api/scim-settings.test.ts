// System Settings → SCIM Provisioning through the admin API (SPEC §3, seed 003): disabled with a
// warning until a verified login connection exists (an Admin has no --force), enable shows the
// token once, re-issue revokes the old token at once, disable; last use read from the log.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { handBack } from '../../../src/directory/hand-back.ts'
import { createTenant } from '../../../src/directory/tenants.ts'
import { MEMBERSHIP_ENDED_OPERATION } from '../../../src/provisioning/log-writer.ts'
import { createSession } from '../../../src/sessions/sessions.ts'
import { NOT_A_REQUEST } from '../../../src/store/store.ts'
import type { TestTenant } from '../../helper.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'

/** A tenant as `tenant create` leaves it: SCIM disabled, no connection. */
async function newTenant(b: SsoBench, slug: string): Promise<TestTenant> {
  const tenant = await createTenant(b.h.store, { slug })
  return { tenant, token: '', base: `/scim/v2/${slug}` }
}

async function api(b: SsoBench, method: string, path: string, browser = b.browser) {
  const res = await browser.request(method, `${b.publicUrl}/api/tenants${path}`, {
    headers: sameOrigin(b.publicUrl),
    ...(method === 'GET' ? {} : { body: '' }),
  })
  return {
    status: res.status,
    headers: res.headers,
    body: res.body === '' ? undefined : JSON.parse(res.body),
  }
}

/** A SCIM request as an IdP sends it, from 127.0.0.1 (inject's address). */
async function scim(b: SsoBench, slug: string, token: string) {
  const res = await b.h.app.inject({
    method: 'GET',
    url: `/scim/v2/${slug}/Users?count=1`,
    headers: { authorization: `Bearer ${token}`, 'user-agent': 'Azure AD SCIM Client' },
  })
  await b.h.log.flush()
  return res
}

async function bench(t: TestContext) {
  const b = await ssoBench(t)
  const initech = await newTenant(b, 'initech')
  await b.signInAdmin(initech)
  return { b, initech }
}

describe('SCIM settings API', () => {
  it('is disabled with the warning, and refuses to enable, until a connection is verified', async (t) => {
    const { b, initech } = await bench(t)
    const settings = await api(b, 'GET', '/initech/scim')
    assert.equal(settings.status, 200)
    assert.deepEqual(settings.body, {
      enabled: false,
      hasVerifiedConnection: false,
      warning: settings.body.warning,
      baseUrl: 'https://rollcall.test/scim/v2/initech',
      tokenIssuedAt: null,
      lastUsed: null,
      lastRequest: null,
    })
    assert.match(settings.body.warning, /needs a verified login connection/)

    const refused = await api(b, 'POST', '/initech/scim/enable')
    assert.equal(refused.status, 409)
    assert.equal(refused.body.code, 'conflict')
    assert.match(refused.body.detail, /verified login connection/)
    assert.doesNotMatch(refused.body.detail, /--force/)

    // A connection that is not verified yet does not do.
    await b.connection(initech)
    assert.equal((await api(b, 'POST', '/initech/scim/enable')).status, 409)
    assert.equal((await b.h.store.tenants.getBySlug('initech'))?.scimTokenId, null)
  })

  it('enables with the token shown once, re-issues (the old token stops at once) and disables', async (t) => {
    const { b, initech } = await bench(t)
    await b.verifiedConnection(initech)
    const ready = await api(b, 'GET', '/initech/scim')
    assert.equal(ready.body.hasVerifiedConnection, true)
    assert.equal(ready.body.warning, null)

    const enabled = await api(b, 'POST', '/initech/scim/enable')
    assert.equal(enabled.status, 201, JSON.stringify(enabled.body))
    assert.equal(enabled.headers['cache-control'], 'no-store')
    assert.equal(enabled.body.baseUrl, 'https://rollcall.test/scim/v2/initech')
    const first: string = enabled.body.token
    assert.match(first, /^[\w-]+\.[\w-]+\.[\w-]+$/)
    assert.equal(enabled.body.settings.enabled, true)
    assert.ok(enabled.body.settings.tokenIssuedAt)
    // Never shown again, and never stored.
    const again = await api(b, 'GET', '/initech/scim')
    assert.ok(!JSON.stringify(again.body).includes(first))
    assert.equal((await api(b, 'POST', '/initech/scim/enable')).status, 409)

    assert.equal((await scim(b, 'initech', first)).statusCode, 200)
    const used = await api(b, 'GET', '/initech/scim')
    assert.equal(used.body.lastUsed.operation, 'List Users')
    assert.equal(used.body.lastUsed.outcome, 'success')
    assert.equal(used.body.lastUsed.address, '127.0.0.1')
    assert.equal(used.body.lastUsed.client, 'Azure AD SCIM Client')
    assert.deepEqual(used.body.lastRequest, used.body.lastUsed)

    const reissued = await api(b, 'POST', '/initech/scim/reissue')
    assert.equal(reissued.status, 200, JSON.stringify(reissued.body))
    const second: string = reissued.body.token
    assert.notEqual(second, first)
    // The new token has not been used yet.
    assert.equal(reissued.body.settings.lastUsed, null)
    assert.equal((await scim(b, 'initech', second)).statusCode, 200)
    const old = await scim(b, 'initech', first)
    assert.equal(old.statusCode, 401)
    assert.match(JSON.parse(old.body).detail, /revoked/)

    const after = await api(b, 'GET', '/initech/scim')
    assert.equal(after.body.lastUsed.outcome, 'success')
    assert.equal(after.body.lastRequest.status, 401)
    assert.equal(after.body.lastRequest.outcome, 'failure')
    assert.equal(after.body.lastRequest.operation, 'Authenticate')
    assert.match(after.body.lastRequest.detail, /revoked/)

    const disabled = await api(b, 'POST', '/initech/scim/disable')
    assert.equal(disabled.status, 200)
    assert.equal(disabled.body.enabled, false)
    assert.equal(disabled.body.tokenIssuedAt, null)
    assert.equal(disabled.body.lastUsed, null)
    assert.equal((await scim(b, 'initech', second)).statusCode, 401)
    assert.equal((await api(b, 'POST', '/initech/scim/reissue')).status, 409)
  })

  it('reads last used and last request from SCIM requests only, not from events of the log', async (t) => {
    const { b, initech } = await bench(t)
    await b.verifiedConnection(initech)
    const token: string = (await api(b, 'POST', '/initech/scim/enable')).body.token
    assert.equal((await scim(b, 'initech', token)).statusCode, 200)
    // A membership ended by D2 and a hand back are entries of the log, but no SCIM request.
    const event = {
      requestId: null,
      method: NOT_A_REQUEST,
      path: NOT_A_REQUEST,
      resourceType: null,
      resourceId: null,
      status: 200,
      scimType: null,
      detail: 'An event',
      durationMs: 0,
      client: null,
      address: null,
      requestBody: null,
      responseBody: null,
    }
    const later = new Date(Date.now() + 1000).toISOString()
    await b.h.store.forTenant(initech.tenant.id).provisioningLog.append([
      { ...event, at: later, operation: MEMBERSHIP_ENDED_OPERATION },
      { ...event, at: later, operation: 'Hand back' },
    ])
    const settings = await api(b, 'GET', '/initech/scim')
    assert.equal(settings.body.lastUsed?.operation, 'List Users')
    assert.equal(settings.body.lastUsed.client, 'Azure AD SCIM Client')
    assert.deepEqual(settings.body.lastRequest, settings.body.lastUsed)

    // A real hand back (SCIM disabled first) leaves the last request as it was.
    assert.equal((await api(b, 'POST', '/initech/scim/disable')).status, 200)
    await handBack(b.h.store, initech.tenant)
    const log = await b.h.store.forTenant(initech.tenant.id).provisioningLog.list({ limit: 1 })
    assert.equal(log[0]?.operation, 'Hand back', 'the hand back is in the log')
    const after = await api(b, 'GET', '/initech/scim')
    assert.equal(after.body.lastUsed, null)
    assert.equal(after.body.lastRequest?.operation, 'List Users')
    assert.equal(after.body.lastRequest.id, settings.body.lastRequest.id)
  })

  it('is for an Admin of the tenant only', async (t) => {
    const { b, initech } = await bench(t)
    await b.verifiedConnection(initech)
    const anonymous = b.newBrowser()
    assert.equal((await api(b, 'GET', '/initech/scim', anonymous)).status, 401)
    assert.equal((await api(b, 'POST', '/initech/scim/enable', anonymous)).status, 401)

    const globexAdmin = b.newBrowser()
    await b.signInAdmin(await newTenant(b, 'globex'), globexAdmin)
    assert.equal((await api(b, 'GET', '/initech/scim', globexAdmin)).status, 403)
    assert.equal((await api(b, 'POST', '/initech/scim/enable', globexAdmin)).status, 403)

    const viewer = b.newBrowser()
    const member = await b.member(initech, 'victor@contoso.com', { role: 'Viewer' })
    viewer.setCookie(
      'rollcall_session',
      await createSession(b.h.store, b.h.config.sessions, {
        tenantId: initech.tenant.id,
        userId: member.id,
      }),
    )
    assert.equal((await api(b, 'POST', '/initech/scim/enable', viewer)).status, 403)
    assert.equal((await b.h.store.tenants.getBySlug('initech'))?.scimTokenId, null)
  })
})
