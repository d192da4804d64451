// The event log, for the host application's writes through /api/v1: each change records its
// events with the API key as the actor and the request's id, like the console's.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildV1, json } from '../http/v1/support.ts'

const base = '/api/v1/tenants/acme'

interface Event {
  type: string
  data: { id?: string; displayName?: string; active?: boolean; givenName?: string | null }
  actor: { type: string; id?: string }
  requestId: string | null
}

describe('events of /api/v1 writes', () => {
  it('records users and groups changed with an API key, the key as the actor', async (t) => {
    const h = await buildV1(t)
    // rk_<key id>_<secret>: the actor names the id, never the key.
    const keyId = h.keys.acmeWrite.split('_')[1]
    const invited = await h.call(h.keys.acmeWrite, 'POST', `${base}/users`, {
      email: 'ivy@acme.test',
    })
    assert.equal(invited.statusCode, 201, invited.body)
    const userId = String(json<{ user: { id: string } }>(invited).user.id)
    const renamedUser = await h.call(h.keys.acmeWrite, 'PATCH', `${base}/users/${userId}`, {
      givenName: 'Ivy',
    })
    assert.equal(renamedUser.statusCode, 200, renamedUser.body)
    const group = await h.call(h.keys.acmeWrite, 'POST', `${base}/groups`, { displayName: 'Ops' })
    const groupId = String(json(group).id)
    const renamed = await h.call(h.keys.acmeWrite, 'PATCH', `${base}/groups/${groupId}`, {
      displayName: 'Operations',
    })
    // A rename to the same name changes nothing, and records nothing.
    await h.call(h.keys.acmeWrite, 'PATCH', `${base}/groups/${groupId}`, {
      displayName: 'Operations',
    })
    const deleted = await h.call(h.keys.acmeWrite, 'DELETE', `${base}/groups/${groupId}`)
    assert.equal(deleted.statusCode, 204)

    const events = (
      await h.store.forTenant(h.acme.tenant.id).events.after({ after: 0, limit: 100 })
    ).map((e) => JSON.parse(e.body) as Event)
    assert.deepEqual(
      events.map((e) => e.type),
      ['user.created', 'user.updated', 'group.created', 'group.updated', 'group.deleted'],
    )
    assert.equal(events[1]?.data.givenName, 'Ivy')
    assert.equal(events[3]?.data.displayName, 'Operations')
    for (const event of events) {
      assert.deepEqual(event.actor, { type: 'api_key', id: keyId })
    }
    assert.equal(events[1]?.requestId, renamedUser.headers['x-request-id'])
    assert.equal(events[3]?.requestId, renamed.headers['x-request-id'])
    assert.equal(events[4]?.requestId, deleted.headers['x-request-id'])
  })
})
