// Tenant isolation of /api/v1: a tenant key reads and changes its own tenant only; every route
// naming another tenant answers 404, as for a tenant that does not exist, and changes nothing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildV1, json, scimGroup, scimUser } from './support.ts'

describe('/api/v1 tenant isolation', () => {
  it('refuses every route of another tenant with 404, and changes nothing there', async (t) => {
    const h = await buildV1(t)
    const user = await scimUser(h, h.globex, 'gus@globex.test')
    const group = await scimGroup(h, h.globex, 'Globex Ops', [user])
    await h.store
      .forTenant(h.globex.tenant.id)
      .events.append([
        { type: 'user.created', data: {}, actor: { type: 'system' }, requestId: null },
      ])
    const base = '/api/v1/tenants/globex'
    const routes = [
      ['GET', base, undefined],
      ['GET', `${base}/snapshot`, undefined],
      ['GET', `${base}/users`, undefined],
      ['GET', `${base}/users?filter=userName%20pr`, undefined],
      ['GET', `${base}/users/${user}`, undefined],
      ['GET', `${base}/users/${user}/groups`, undefined],
      ['GET', `${base}/groups`, undefined],
      ['GET', `${base}/groups/${group}`, undefined],
      ['GET', `${base}/groups/${group}/members`, undefined],
      ['POST', `${base}/users`, { email: 'intruder@acme.test' }],
      ['PATCH', `${base}/users/${user}`, { role: 'Admin' }],
      ['DELETE', `${base}/users/${user}`, undefined],
      ['POST', `${base}/groups`, { displayName: 'Intruders' }],
      ['PATCH', `${base}/groups/${group}`, { displayName: 'Renamed' }],
      ['DELETE', `${base}/groups/${group}`, undefined],
      ['POST', `${base}/groups/${group}/members`, { userId: user }],
      ['DELETE', `${base}/groups/${group}/members/${user}`, undefined],
      ['GET', '/api/v1/events?tenant=globex', undefined],
    ] as const
    for (const [method, url, body] of routes) {
      const res = await h.call(h.keys.acmeWrite, method, url, body)
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`)
      assert.equal(json(res).code, 'not_found')
      // The same answer as for a tenant that does not exist.
      const missing = await h.call(h.keys.acmeWrite, method, url.replace('globex', 'nowhere'), body)
      assert.equal(missing.statusCode, 404, `${method} ${url} (missing tenant)`)
      assert.equal(
        json<{ detail: string }>(res).detail,
        json<{ detail: string }>(missing).detail.replace('nowhere', 'globex'),
      )
    }
    // The acme key's own feed holds no globex event, its tenant list only acme.
    const feed = json<{ data: unknown[] }>(await h.call(h.keys.acmeRead, 'GET', '/api/v1/events'))
    assert.deepEqual(feed.data, [])
    const tenants = json<{ data: { slug: string }[] }>(
      await h.call(h.keys.acmeRead, 'GET', '/api/v1/tenants'),
    )
    assert.deepEqual(
      tenants.data.map((tenant) => tenant.slug),
      ['acme'],
    )

    // Globex is unchanged: its key and the operator's still see the user in the group.
    const gus = json<{ role: string; groups: { id: string }[] }>(
      await h.call(h.keys.globexWrite, 'GET', `${base}/users/${user}`),
    )
    assert.equal(gus.role, 'Viewer')
    assert.deepEqual(
      gus.groups.map((g) => g.id),
      [group],
    )
    const all = json<{ data: { slug: string }[] }>(
      await h.call(h.keys.operatorRead, 'GET', '/api/v1/tenants'),
    )
    assert.deepEqual(
      all.data.map((tenant) => tenant.slug),
      ['acme', 'globex'],
    )
    const groups = json<{ data: { displayName: string }[] }>(
      await h.call(h.keys.operatorRead, 'GET', `${base}/groups`),
    )
    assert.deepEqual(
      groups.data.map((g) => g.displayName),
      ['Globex Ops'],
    )
  })

  it("does not find another tenant's user or group by id under the key's own tenant", async (t) => {
    const h = await buildV1(t)
    const user = await scimUser(h, h.globex, 'gus@globex.test')
    const group = await scimGroup(h, h.globex, 'Globex Ops')
    for (const url of [
      `/api/v1/tenants/acme/users/${user}`,
      `/api/v1/tenants/acme/groups/${group}`,
      `/api/v1/tenants/acme/groups/${group}/members`,
    ]) {
      assert.equal((await h.call(h.keys.acmeRead, 'GET', url)).statusCode, 404, url)
    }
    const add = await h.call(h.keys.acmeWrite, 'POST', '/api/v1/tenants/acme/groups', {
      displayName: 'Acme Ops',
    })
    const acmeGroup = json<{ id: string }>(add).id
    const res = await h.call(
      h.keys.acmeWrite,
      'POST',
      `/api/v1/tenants/acme/groups/${acmeGroup}/members`,
      { userId: user },
    )
    assert.equal(res.statusCode, 404)
  })
})
