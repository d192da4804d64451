// The event log of SCIM /Groups and /Bulk: group.created/updated/deleted with the group as the
// directory API shows it, one member event per membership that came or went, and nothing for a
// rolled-back change (a refused create, a failed Bulk operation, a failed request of a batch).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { build } from '../helper.ts'
import { expectPatched, expectScim, fixture, GROUP, PATCH, userBody } from '../support/scim.ts'
import { directoryEventsOf, headOf, summary } from './support.ts'

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'

describe('events of SCIM /Groups', () => {
  it('records a create with members, member adds and removes, a rename and a delete', async (t) => {
    const h = await build(t)
    const ann = expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('ann@acme.com')), 201)
    const bob = expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('bob@acme.com')), 201)
    const start = await headOf(h, h.acme)

    const body = fixture('entra', 'tutorial/create-group.json')
    body.members = [{ value: ann.id }]
    const group = expectScim(await h.scim(h.acme, 'POST', '/Groups', body), 201)
    const add = fixture('entra', 'tutorial/patch-group-add-member.json', {
      f648f8d5ea4e4cd38e9c: bob.id,
    })
    const added = await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add)
    expectPatched(added)
    // Adding who is a member already adds nothing.
    expectPatched(await h.scim(h.acme, 'PATCH', `/Groups/${group.id}`, add))
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Groups/${group.id}`,
        fixture('entra', 'tutorial/patch-group-remove-member.json', {
          f648f8d5ea4e4cd38e9c: ann.id,
        }),
      ),
    )
    expectPatched(
      await h.scim(
        h.acme,
        'PATCH',
        `/Groups/${group.id}`,
        fixture('entra', 'tutorial/patch-group-display-name.json'),
      ),
    )
    expectScim(await h.scim(h.acme, 'DELETE', `/Groups/${group.id}`), 204)

    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(summary(events), [
      ['group.created', group.id],
      ['group.member_added', ann.id],
      ['group.member_added', bob.id],
      ['group.member_removed', ann.id],
      ['group.updated', group.id],
      ['group.deleted', group.id],
    ])
    assert.deepEqual(events[0]!.data, {
      object: 'group',
      id: group.id,
      displayName: 'displayName',
      externalId: body.externalId,
      origin: 'SCIM',
      createdAt: events[0]!.data.createdAt,
      updatedAt: events[0]!.data.updatedAt,
    })
    assert.deepEqual(events[2]!.data, {
      group: { id: group.id, displayName: 'displayName' },
      member: { id: bob.id, type: 'user' },
    })
    assert.equal(events[2]!.requestId, added.headers['x-request-id'])
    assert.equal(
      events[4]!.data.displayName,
      '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    )
  })

  it('records a PUT’s member replacement as the adds and removes it made', async (t) => {
    const h = await build(t)
    const [a, b, c] = (await Promise.all(
      ['a@acme.com', 'b@acme.com', 'c@acme.com'].map(async (n) =>
        expectScim(await h.scim(h.acme, 'POST', '/Users', userBody(n)), 201),
      ),
    )) as { id: string }[]
    const group = expectScim(
      await h.scim(h.acme, 'POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'Ops',
        members: [{ value: a!.id }, { value: b!.id }],
      }),
      201,
    )
    const start = await headOf(h, h.acme)
    expectScim(
      await h.scim(h.acme, 'PUT', `/Groups/${group.id}`, {
        schemas: [GROUP],
        displayName: 'Ops',
        members: [{ value: b!.id }, { value: c!.id }],
      }),
      200,
    )
    assert.deepEqual(summary(await directoryEventsOf(h, h.acme, start)), [
      ['group.member_removed', a!.id],
      ['group.member_added', c!.id],
    ])
  })

  it('records nothing for a failed Bulk operation, and the others’ events', async (t) => {
    const h = await build(t)
    const start = await headOf(h, h.acme)
    const res = await h.scim(h.acme, 'POST', '/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: userBody('fay@acme.com') },
        { method: 'POST', path: '/Users', bulkId: 'u2', data: userBody('fay@acme.com') },
        {
          method: 'PATCH',
          path: '/Users/bulkId:u1',
          data: {
            schemas: [PATCH],
            Operations: [{ op: 'replace', path: 'active', value: false }],
          },
        },
      ],
    })
    const body = expectScim(res, 200)
    assert.deepEqual(
      body.Operations.map((o: { status: string }) => o.status),
      ['201', '409', '200'],
    )
    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(
      events.map((e) => e.type),
      ['user.created', 'user.deactivated'],
    )
    for (const e of events) assert.equal(e.requestId, res.headers['x-request-id'])
  })

  it('drops only the failing request’s events from a group-commit batch', async (t) => {
    const h = await build(t)
    expectScim(await h.scim(h.acme, 'POST', '/Users', userBody('taken@acme.com')), 201)
    const start = await headOf(h, h.acme)
    const names = ['g1@acme.com', 'taken@acme.com', 'g2@acme.com', 'g3@acme.com']
    const responses = await Promise.all(
      names.map((n, i) =>
        h.scim(h.acme, 'POST', '/Users', userBody(n), { 'x-request-id': `batch-${i}` }),
      ),
    )
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      [201, 409, 201, 201],
    )
    const events = await directoryEventsOf(h, h.acme, start)
    assert.deepEqual(events.map((e) => [e.type, e.data.userName, e.requestId]).sort(), [
      ['user.created', 'g1@acme.com', 'batch-0'],
      ['user.created', 'g2@acme.com', 'batch-2'],
      ['user.created', 'g3@acme.com', 'batch-3'],
    ])
  })
})
