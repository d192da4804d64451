// Hand back through the admin API (issue #9): once SCIM is disabled, SCIM-controlled users,
// groups and memberships become INTERNAL in one action, after a preview; refused while a SCIM
// token is valid; only the tenant's own Admin may do it.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { revokeScimToken } from '../../../src/credentials/scim-tokens.ts'
import { handBack } from '../../../src/directory/hand-back.ts'
import type { Browser } from '../../support/browser.ts'
import { GROUP, USER } from '../../support/scim.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../../support/sso.ts'

async function bench(t: TestContext): Promise<SsoBench> {
  const b = await ssoBench(t)
  await b.signInAdmin(b.h.acme)
  return b
}

async function api(b: SsoBench, method: string, path: string, browser?: Browser) {
  const res = await (browser ?? b.browser).request(method, `${b.publicUrl}/api/tenants${path}`, {
    headers: sameOrigin(b.publicUrl),
    ...(method === 'GET' ? {} : { body: '{}' }),
  })
  return { status: res.status, body: res.body === '' ? undefined : JSON.parse(res.body) }
}

async function provision(b: SsoBench): Promise<{ users: string[]; group: string }> {
  const users: string[] = []
  for (const userName of ['zoe@contoso.com', 'ann@contoso.com', 'bob@contoso.com']) {
    const res = await b.h.scim(b.h.acme, 'POST', '/Users', { schemas: [USER], userName })
    assert.equal(res.statusCode, 201, res.body)
    users.push(res.json().id)
  }
  const res = await b.h.scim(b.h.acme, 'POST', '/Groups', {
    schemas: [GROUP],
    displayName: 'Engineering',
    members: users.map((value) => ({ value })),
  })
  assert.equal(res.statusCode, 201, res.body)
  return { users, group: res.json().id }
}

describe('hand back API', () => {
  it('previews, refuses while SCIM is enabled, then releases everything to INTERNAL', async (t) => {
    const b = await bench(t)
    const { users, group } = await provision(b)

    const preview = await api(b, 'GET', '/acme/hand-back')
    assert.equal(preview.status, 200)
    assert.equal(preview.body.scimEnabled, true)
    assert.equal(preview.body.users.count, 3)
    assert.deepEqual(
      preview.body.users.sample.map((u: { userName: string }) => u.userName),
      ['ann@contoso.com', 'bob@contoso.com', 'zoe@contoso.com'],
    )
    assert.deepEqual(preview.body.groups, {
      count: 1,
      sample: [{ id: group, displayName: 'Engineering' }],
    })
    assert.deepEqual(preview.body.memberships, { count: 3 })

    const refused = await api(b, 'POST', '/acme/hand-back')
    assert.equal(refused.status, 409)
    assert.equal(refused.body.code, 'conflict')
    assert.match(refused.body.detail, /Disable SCIM first/)
    assert.equal(
      (await b.h.store.forTenant(b.h.acme.tenant.id).users.get(users[0] as never))?.origin,
      'SCIM',
    )

    await revokeScimToken(b.h.store, b.h.acme.tenant)
    const dry = await api(b, 'POST', '/acme/hand-back?dryRun=true')
    assert.deepEqual(dry.body, { dryRun: true, changes: { users: 3, groups: 1, memberships: 3 } })
    assert.equal(
      (await api(b, 'GET', '/acme/hand-back')).body.users.count,
      3,
      'dry run changes nothing',
    )

    const done = await api(b, 'POST', '/acme/hand-back')
    assert.equal(done.status, 200, JSON.stringify(done.body))
    assert.deepEqual(done.body, { dryRun: false, changes: { users: 3, groups: 1, memberships: 3 } })
    const tenant = b.h.store.forTenant(b.h.acme.tenant.id)
    for (const id of users) assert.equal((await tenant.users.get(id as never))?.origin, 'INTERNAL')
    assert.equal((await tenant.groups.get(group as never))?.origin, 'INTERNAL')
    const members = (await tenant.members.list([group as never])).get(group as never) ?? []
    assert.ok(members.every((m) => m.origin === 'INTERNAL'))
    const after = await api(b, 'GET', '/acme/hand-back')
    assert.equal(after.body.scimEnabled, false)
    assert.equal(after.body.users.count + after.body.groups.count, 0)
    // The SCIM requests' own entries are written after their responses, so one may land after it.
    const log = await tenant.provisioningLog.list({ limit: 5, operation: 'Hand back' })
    assert.match(
      log[0]?.detail ?? '',
      /admin-acme@example\.com handed .* 3 users, 1 groups, 3 memberships/,
    )
    // Nothing left: a second hand back changes nothing.
    assert.deepEqual((await api(b, 'POST', '/acme/hand-back')).body.changes, {
      users: 0,
      groups: 0,
      memberships: 0,
    })
  })

  it('releases a large tenant in chunks, each its own transaction', async (t) => {
    const b = await bench(t)
    await provision(b)
    await revokeScimToken(b.h.store, b.h.acme.tenant)
    const changes = await handBack(b.h.store, b.h.acme.tenant, { chunkSize: 2 })
    assert.deepEqual(changes, { users: 3, groups: 1, memberships: 3 })
    assert.equal(
      (await b.h.store.forTenant(b.h.acme.tenant.id).origins.scimControlled(1)).users.count,
      0,
    )
  })

  it("keeps the hand back to the tenant's own Admin: another tenant's Admin, a Viewer, nobody", async (t) => {
    const b = await bench(t)
    await provision(b)
    await revokeScimToken(b.h.store, b.h.acme.tenant)
    const globex = await b.h.addTenant('globex')
    const globexAdmin = b.newBrowser()
    await b.signInAdmin(globex, globexAdmin)
    assert.equal((await api(b, 'GET', '/acme/hand-back', globexAdmin)).status, 403)
    assert.equal((await api(b, 'POST', '/acme/hand-back', globexAdmin)).status, 403)
    assert.equal((await api(b, 'POST', '/acme/hand-back', b.newBrowser())).status, 401)
    // Its own hand back sees none of acme's records (and globex's SCIM is still on).
    const theirs = await api(b, 'GET', '/globex/hand-back', globexAdmin)
    assert.equal(theirs.body.users.count, 0)
    assert.equal((await api(b, 'POST', '/globex/hand-back', globexAdmin)).status, 409)

    const viewer = b.newBrowser()
    const member = await b.signInAdmin(b.h.acme, viewer, 'viewer@contoso.com')
    await b.h.store
      .forTenant(b.h.acme.tenant.id)
      .users.setRole(member.id, 'Viewer', new Date().toISOString())
    assert.equal((await api(b, 'GET', '/acme/hand-back', viewer)).status, 403)
    assert.equal((await api(b, 'POST', '/acme/hand-back', viewer)).status, 403)
    assert.equal((await api(b, 'GET', '/acme/hand-back')).body.users.count, 3)
  })
})
