// The event log of the admin API (the console's), role rules, SSO sign-in and connections, and
// SCIM tokens: the admin's user id as the actor of their changes, one user.role_changed per user
// whose effective role moved, JIT members created and every sign-in recorded.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { entraAccount } from '../support/oidc-provider.ts'
import { GROUP, USER } from '../support/scim.ts'
import { sameOrigin, ssoBench, type SsoBench } from '../support/sso.ts'
import { directoryEventsOf, eventsOf, headOf, summary } from './support.ts'

async function api(b: SsoBench, method: string, path: string, body?: unknown) {
  const res = await b.browser.request(method, `${b.publicUrl}/api/tenants/acme${path}`, {
    headers: sameOrigin(b.publicUrl),
    ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
  })
  return {
    status: res.status,
    requestId: res.headers['x-request-id'],
    body: res.body === '' ? undefined : JSON.parse(res.body),
  }
}

describe('events of admin changes, role rules and sign-ins', () => {
  it('records invite, role change, disable, enable and delete with the admin as the actor', async (t) => {
    const b = await ssoBench(t)
    const admin = await b.signInAdmin(b.h.acme)
    const start = await headOf(b.h, b.h.acme)
    const invited = await api(b, 'POST', '/users', { email: 'ivy@acme.com' })
    assert.equal(invited.status, 201, JSON.stringify(invited.body))
    const id = invited.body.user?.id ?? invited.body.id
    assert.equal((await api(b, 'PATCH', `/users/${id}`, { role: 'Editor' })).status, 200)
    // The same role again: nothing changed.
    assert.equal((await api(b, 'PATCH', `/users/${id}`, { role: 'Editor' })).status, 200)
    const disabled = await api(b, 'PATCH', `/users/${id}`, { active: false })
    assert.equal(disabled.status, 200)
    assert.equal((await api(b, 'PATCH', `/users/${id}`, { active: true })).status, 200)
    const deleted = await api(b, 'DELETE', `/users/${id}`)
    assert.equal(deleted.status, 204)

    const events = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(summary(events), [
      ['user.created', id],
      ['user.role_changed', id],
      ['user.deactivated', id],
      ['user.reactivated', id],
      ['user.deleted', id],
    ])
    for (const e of events) assert.deepEqual(e.actor, { type: 'admin', id: admin.id })
    assert.equal(events[0]!.requestId, invited.requestId)
    assert.equal(events[0]!.data.origin, 'INTERNAL')
    assert.equal(events[1]!.data.role, 'Editor')
    assert.equal(events[2]!.requestId, disabled.requestId)
    assert.equal(events[4]!.requestId, deleted.requestId)
  })

  it('records member adds and removes of the console and the roles a rule moves, each once', async (t) => {
    const b = await ssoBench(t)
    await b.signInAdmin(b.h.acme)
    const users: string[] = []
    for (const n of ['ann', 'bob', 'cy']) {
      const res = await b.h.scim(b.h.acme, 'POST', '/Users', {
        schemas: [USER],
        userName: `${n}@contoso.com`,
        active: true,
      })
      users.push(res.json().id)
    }
    const boss = await b.member(b.h.acme, 'boss@contoso.com', { role: 'Admin' })
    const group = (
      await b.h.scim(b.h.acme, 'POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'Engineering',
        members: [...users.slice(0, 2), boss.id].map((value) => ({ value })),
      })
    ).json().id as string

    let start = await headOf(b.h, b.h.acme)
    const rule = await api(b, 'POST', '/role-rules', { groupId: group, role: 'Editor' })
    assert.equal(rule.status, 201, JSON.stringify(rule.body))
    // ann and bob become Editors; the Admin keeps the higher role: no event for them.
    let events = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(
      summary(events).sort(),
      [
        ['user.role_changed', users[0]],
        ['user.role_changed', users[1]],
      ].sort(),
    )
    for (const e of events) {
      assert.equal(e.data.role, 'Editor')
      assert.equal(e.requestId, rule.requestId)
    }

    start = await headOf(b.h, b.h.acme)
    const added = await api(b, 'POST', `/groups/${group}/members`, { userId: users[2] })
    assert.ok([200, 201, 204].includes(added.status), JSON.stringify(added.body))
    assert.equal((await api(b, 'DELETE', `/groups/${group}/members/${users[2]}`)).status, 204)
    events = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(summary(events), [
      ['group.member_added', users[2]],
      ['user.role_changed', users[2]],
      ['group.member_removed', users[2]],
      ['user.role_changed', users[2]],
    ])
    assert.deepEqual(events[0]!.data, {
      group: { id: group, displayName: 'Engineering' },
      member: { id: users[2], type: 'user' },
    })
    assert.deepEqual(
      events.filter((e) => e.type === 'user.role_changed').map((e) => e.data.role),
      ['Editor', 'Viewer'],
    )

    start = await headOf(b.h, b.h.acme)
    assert.equal((await api(b, 'DELETE', `/role-rules/${group}`)).status, 204)
    events = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(
      summary(events).sort(),
      [
        ['user.role_changed', users[0]],
        ['user.role_changed', users[1]],
      ].sort(),
    )
    for (const e of events) assert.equal(e.data.role, 'Viewer')
  })

  it('records a JIT sign-in as user.created then user.signed_in, a member’s as user.signed_in', async (t) => {
    const b = await ssoBench(t)
    const connection = await b.verifiedConnection(b.h.acme)
    const bob = await b.member(b.h.acme, 'bob@contoso.com', { role: 'Editor' })
    const start = await headOf(b.h, b.h.acme)
    b.op.signInAs(entraAccount('alice'))
    const alice = await b.browser.visit(`${b.publicUrl}/sso/login/${connection.id}`)
    assert.equal(alice.status, 200, alice.body)
    b.op.signInAs(entraAccount('bob'))
    const other = b.newBrowser()
    assert.equal((await other.visit(`${b.publicUrl}/sso/login/${connection.id}`)).status, 200)

    const events = await directoryEventsOf(b.h, b.h.acme, start)
    assert.deepEqual(
      events.map((e) => [e.type, e.data.email]),
      [
        ['user.created', 'alice@contoso.com'],
        ['user.signed_in', 'alice@contoso.com'],
        ['user.signed_in', 'bob@contoso.com'],
      ],
    )
    assert.equal(events[2]!.data.id, bob.id)
    assert.equal(events[2]!.data.method, 'sso')
    assert.equal(events[2]!.data.connectionId, connection.id)
    assert.equal(events[2]!.data.role, 'Editor')
    for (const e of events) {
      assert.deepEqual(e.actor, { type: 'user' })
      assert.ok(e.requestId)
    }
  })

  it('records connection changes without the secret, and SCIM token issue, re-issue and disable', async (t) => {
    const b = await ssoBench(t)
    const admin = await b.signInAdmin(b.h.acme)
    const start = await headOf(b.h, b.h.acme)
    const connection = await b.connection(b.h.acme)
    const edited = await api(b, 'PATCH', `/connections/${connection.id}`, { name: 'Entra' })
    assert.equal(edited.status, 200, JSON.stringify(edited.body))
    assert.equal((await api(b, 'DELETE', `/connections/${connection.id}`)).status, 204)
    // The test tenant's token was issued by the operator at setup; SCIM is on.
    const verified = await b.verifiedConnection(b.h.acme)
    const reissued = await api(b, 'POST', '/scim/reissue')
    assert.equal(reissued.status, 200, JSON.stringify(reissued.body))
    assert.ok([200, 204].includes((await api(b, 'POST', '/scim/disable')).status))

    const events = (await eventsOf(b.h, b.h.acme, start)).filter((e) => e.type !== 'user.created')
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'connection.created',
        'connection.updated',
        'connection.deleted',
        'connection.created',
        'scim_token.revoked',
        'scim_token.issued',
        'scim_token.revoked',
      ],
    )
    for (const e of events) {
      assert.doesNotMatch(JSON.stringify(e), /secret/i, e.type)
    }
    assert.equal(events[1]!.data.name, 'Entra')
    assert.equal(events[1]!.requestId, edited.requestId)
    assert.deepEqual(events[1]!.actor, { type: 'admin', id: admin.id })
    assert.equal(events[3]!.data.id, verified.id)
    assert.equal(events[4]!.data.id, b.h.acme.tenant.scimTokenId)
    assert.ok(events[4]!.data.revokedAt)
    const issuedId = events[5]!.data.id as string
    assert.notEqual(issuedId, b.h.acme.tenant.scimTokenId)
    assert.ok(events[5]!.data.issuedAt)
    assert.equal(events[6]!.data.id, issuedId)
    assert.ok(!JSON.stringify(events).includes(reissued.body.token))
  })
})
