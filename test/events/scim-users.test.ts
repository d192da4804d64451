// The event log of SCIM /Users: one event per change with the user as the directory API shows
// it, the SCIM token as the actor and the request's id; none for a change that rolled back or
// for a PATCH that changed nothing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build } from '../helper.ts'
import { expectPatched, expectScim, fixture, userBody, type Json } from '../support/scim.ts'
import { directoryEventsOf, headOf, summary } from './support.ts'

describe('events of SCIM /Users', () => {
  it('records user.created with the user, the token as actor and the request id', async (t) => {
    const h = await build(t)
    const body = fixture('entra', 'tutorial/create-user.json')
    body.userName = 'ada@acme.com'
    const res = await h.scim(h.acme, 'POST', '/Users', body, { 'x-request-id': 'req-create-1' })
    const user = expectScim(res, 201)
    const events = await directoryEventsOf(h, h.acme)
    assert.equal(events.length, 1)
    const [event] = events
    assert.equal(event!.type, 'user.created')
    assert.equal(event!.tenant, 'acme')
    assert.match(event!.id, /^evt_/)
    assert.equal(event!.requestId, res.headers['x-request-id'])
    assert.equal(event!.requestId, 'req-create-1')
    assert.deepEqual(event!.actor, { type: 'scim', id: h.acme.tenant.scimTokenId })
    assert.deepEqual(
      {
        id: event!.data.id,
        object: event!.data.object,
        userName: event!.data.userName,
        email: event!.data.email,
        active: event!.data.active,
        origin: event!.data.origin,
        role: event!.data.role,
        givenName: event!.data.givenName,
        externalId: event!.data.externalId,
      },
      {
        id: user.id,
        object: 'user',
        userName: 'ada@acme.com',
        email: body.emails[0].value,
        active: true,
        origin: 'SCIM',
        role: 'Viewer',
        givenName: 'givenName',
        externalId: body.externalId,
      },
    )
  })

  it('records deactivated and reactivated (not updated) for active flips, nothing for a no-op', async (t) => {
    const h = await build(t)
    const user = expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('bo@acme.com')), 201)
    const start = await headOf(h, h.acme)
    const disable = fixture('entra', 'tutorial/patch-user-disable.json')
    const r1 = await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, disable)
    expectPatched(r1)
    // Entra repeats what it already sent: nothing changes, nothing is recorded.
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, disable))
    const r2 = await h.scim(
      h.acme,
      'PATCH',
      `/Users/${user.id}`,
      fixture('entra', 'with-flag/enable-user.json'),
    )
    expectPatched(r2)
    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(summary(events), [
      ['user.deactivated', user.id],
      ['user.reactivated', user.id],
    ])
    assert.equal(events[0]!.data.active, false)
    assert.equal(events[0]!.requestId, r1.headers['x-request-id'])
    assert.equal(events[1]!.data.active, true)
    assert.equal(events[1]!.requestId, r2.headers['x-request-id'])
  })

  it('records user.updated for a PUT or PATCH that changes attributes, once per request', async (t) => {
    const h = await build(t)
    const user = expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('cy@acme.com')), 201)
    const start = await headOf(h, h.acme)
    const put = await h.scim(
      h.acme,
      'PUT',
      `/Users/${user.id}`,
      userBody('cy@acme.com', { displayName: 'Cy Young', name: { givenName: 'Cy' } }),
    )
    expectScim(put, 200)
    // The same document again: a write, but no change.
    expectScim(
      await h.scim(
        h.acme,
        'PUT',
        `/Users/${user.id}`,
        userBody('cy@acme.com', { displayName: 'Cy Young', name: { givenName: 'Cy' } }),
      ),
      200,
    )
    const patch: Json = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Cy Y.' },
        { op: 'replace', path: 'active', value: false },
      ],
    }
    expectPatched(await h.scim(h.acme, 'PATCH', `/Users/${user.id}`, patch))
    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(summary(events), [
      ['user.updated', user.id],
      ['user.updated', user.id],
      ['user.deactivated', user.id],
    ])
    assert.equal(events[0]!.data.displayName, 'Cy Young')
    assert.equal(events[0]!.data.givenName, 'Cy')
    assert.equal(events[1]!.data.displayName, 'Cy Y.')
  })

  it('records user.deleted with the user as it was', async (t) => {
    const h = await build(t)
    const user = expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('di@acme.com')), 201)
    const start = await headOf(h, h.acme)
    const res = await h.scim(h.acme, 'DELETE', `/Users/${user.id}`)
    expectScim(res, 204)
    expectScim(await h.scim(h.acme, 'DELETE', `/Users/${user.id}`), 404)
    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(summary(events), [['user.deleted', user.id]])
    assert.equal(events[0]!.data.userName, 'di@acme.com')
    assert.equal(events[0]!.requestId, res.headers['x-request-id'])
  })

  it('records nothing for a create refused for uniqueness (409) or a failed precondition', async (t) => {
    const h = await build(t)
    const user = expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('ed@acme.com')), 201)
    const start = await headOf(h, h.acme)
    expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('ed@acme.com')), 409)
    expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('ED@acme.com')), 409)
    expectScim(
      await h.scim(h.acme, 'PUT', `/Users/${user.id}`, userBody('ed@acme.com', { title: 'x' }), {
        'if-match': 'W/"999"',
      }),
      412,
    )
    assert.deepEqual(await directoryEventsOf(h, h.acme, start), [])
  })

  it('gives each of two tenants’ concurrent creates its own actor and request id', async (t) => {
    const h = await build(t)
    const globex = await h.addTenant('globex')
    const sends = []
    for (let i = 0; i < 20; i++) {
      const tenant = i % 2 === 0 ? h.acme : globex
      sends.push(
        h.scim(tenant, 'POST', '/Users', userBody(`u${i}@${tenant.tenant.slug}.example`), {
          'x-request-id': `req-${i}`,
        }),
      )
    }
    const responses = await Promise.all(sends)
    for (const r of responses) expectScim(r, 201)
    for (const tenant of [h.acme, globex]) {
      const events = await directoryEventsOf(h, tenant)
      assert.equal(events.length, 10)
      for (const e of events) {
        const i = Number(/^u(\d+)@/.exec(e.data.userName)![1])
        assert.equal(e.requestId, `req-${i}`, e.data.userName)
        assert.deepEqual(e.actor, { type: 'scim', id: tenant.tenant.scimTokenId })
      }
    }
  })
})
