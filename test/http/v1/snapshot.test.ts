// GET /api/v1/tenants/{tenant}/snapshot: the directory as NDJSON at a cursor (taken before the
// read, so a change during or after it is in the feed after the cursor), streamed page by page.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { snapshotLines } from '../../../src/directory/snapshot.ts'
import { newUserId } from '../../../src/domain/ids.ts'
import { cursorOf } from '../../../src/events/feed.ts'
import { userWriteOf } from '../../../src/store/sql/columns.ts'
import type { Store, TenantStore } from '../../../src/store/store.ts'
import { buildV1, scimGroup, scimUser } from './support.ts'

type Line = Record<string, unknown> & { object: string }

function lines(body: string): Line[] {
  assert.ok(body.endsWith('\n'))
  return body
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Line)
}

async function addUsers(store: Store, tenant: TenantStore, count: number): Promise<void> {
  const at = new Date().toISOString()
  for (let start = 0; start < count; start += 500) {
    await store.transaction(async (tx) => {
      const users = tx.forTenant(tenant.tenantId).users
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const id = newUserId()
        const email = `user${i}@bulk.test`
        await users.insertIdentity(id, email, at)
        const doc = { userName: email, emails: [{ value: email, primary: true }], active: true }
        await users.insert(id, userWriteOf(doc), { origin: 'INTERNAL', role: 'Viewer' }, at)
      }
    })
  }
}

describe('/api/v1/tenants/{tenant}/snapshot', () => {
  it('streams the cursor, users, groups and memberships, then the counts', async (t) => {
    const h = await buildV1(t)
    const ann = await scimUser(h, h.acme, 'ann@acme.test')
    const bob = await scimUser(h, h.acme, 'bob@acme.test')
    const group = await scimGroup(h, h.acme, 'Engineering', [ann, bob])
    await scimUser(h, h.globex, 'gus@globex.test')
    const [event] = await h.store
      .forTenant(h.acme.tenant.id)
      .events.append([
        { type: 'user.updated', data: {}, actor: { type: 'system' }, requestId: null },
      ])

    const res = await h.call(h.keys.acmeRead, 'GET', '/api/v1/tenants/acme/snapshot')
    assert.equal(res.statusCode, 200, res.body)
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/)
    const [header, ...rest] = lines(res.body)
    assert.equal(header?.object, 'snapshot')
    assert.equal(header?.tenant, 'acme')
    assert.equal(header?.after, String(event?.position))
    assert.deepEqual(
      rest.map((line) => line.object),
      ['user', 'user', 'group', 'membership', 'membership', 'snapshot_end'],
    )
    const users = rest.filter((line) => line.object === 'user')
    assert.deepEqual(
      users.map((u) => [u.id, u.email, u.origin, u.givenName]),
      [
        [ann, 'ann@acme.test', 'SCIM', 'Sam'],
        [bob, 'bob@acme.test', 'SCIM', 'Sam'],
      ],
    )
    const memberships = rest.filter((line) => line.object === 'membership')
    assert.deepEqual(
      memberships
        .map((m) => m.member)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [ann, bob].sort().map((id) => ({ id, type: 'user' })),
    )
    assert.deepEqual(memberships[0]?.group, { id: group, displayName: 'Engineering' })
    assert.deepEqual(rest.at(-1), { object: 'snapshot_end', users: 2, groups: 1, memberships: 2 })
  })

  it('is taken at a cursor: a change after it is in the feed after that cursor', async (t) => {
    const h = await buildV1(t)
    const [header] = lines(
      (await h.call(h.keys.acmeRead, 'GET', '/api/v1/tenants/acme/snapshot')).body,
    )
    const [change] = await h.store
      .forTenant(h.acme.tenant.id)
      .events.append([
        { type: 'user.created', data: {}, actor: { type: 'system' }, requestId: null },
      ])
    const feed = await h.call(
      h.keys.acmeRead,
      'GET',
      `/api/v1/events?after=${String(header?.after)}`,
    )
    assert.deepEqual(
      (JSON.parse(feed.body) as { data: { id: string }[] }).data.map((e) => e.id),
      [change?.id],
    )
  })

  it('streams a few thousand users page by page', async (t) => {
    const h = await buildV1(t)
    const acme = h.store.forTenant(h.acme.tenant.id)
    await addUsers(h.store, acme, 3000)
    const res = await h.call(h.keys.operatorRead, 'GET', '/api/v1/tenants/acme/snapshot')
    const all = lines(res.body)
    assert.equal(all.filter((line) => line.object === 'user').length, 3000)
    assert.deepEqual(all.at(-1), { object: 'snapshot_end', users: 3000, groups: 0, memberships: 0 })
    const ids = all.filter((line) => line.object === 'user').map((line) => String(line.id))
    assert.deepEqual([...ids].sort(), ids, 'in id order, each once')
    assert.equal(new Set(ids).size, 3000)

    // The generator yields one chunk per page: no chunk holds more than a page of users.
    const chunks: string[] = []
    for await (const chunk of snapshotLines(h.store, h.acme.tenant, cursorOf, 250))
      chunks.push(chunk)
    const perChunk = chunks.map((chunk) => chunk.split('\n').length - 1)
    assert.ok(
      perChunk.every((n) => n <= 250),
      perChunk.join(','),
    )
    assert.ok(chunks.length >= 3000 / 250, String(chunks.length))
  })
})
