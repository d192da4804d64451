import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventBodies, newEventId } from './events.ts'

test('event ids are time-ordered base32 and distinct across refills of the random pool', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => newEventId(1_700_000_000_000 + i))
  for (const id of ids) assert.match(id, /^evt_[0-9a-hjkmnp-tv-z]{26}$/)
  assert.equal(new Set(ids).size, ids.length)
  assert.deepEqual([...ids].sort(), ids)
  // Same millisecond: the random part differs.
  assert.notEqual(newEventId(1), newEventId(1))
})

test('event bodies are the JSON of the event object, key for key, whatever the values', () => {
  const user = { type: 'user', id: 'u1', email: 'ä"\\@x' }
  const events = [
    {
      type: 'group.member_added',
      data: { group: { id: 'g', displayName: 'A "b"' } },
      actor: user,
      requestId: 'r1',
    },
    {
      type: 'group.member_added',
      data: { member: { id: 'm', type: 'user' } },
      actor: user,
      requestId: null,
    },
    {
      type: 'user.created',
      data: { at: new Date(0), list: [1, undefined] },
      actor: { type: 'system' },
      requestId: null,
    },
    { type: 'odd', data: undefined, actor: user, requestId: 'r2' },
    {
      type: 'odd',
      data: { f: () => 1 },
      actor: { type: 'system' },
      requestId: undefined as unknown as null,
    },
  ] as const
  const ids = events.map((_, i) => `evt_${i}`)
  const at = '2026-12-01T00:00:00.000Z'
  const bodies = eventBodies(ids, events as never, at, 'acme')
  events.forEach((event, i) => {
    const expected = JSON.stringify({
      id: ids[i],
      type: event.type,
      timestamp: at,
      tenant: 'acme',
      data: event.data,
      actor: event.actor,
      requestId: event.requestId,
    })
    assert.equal(bodies[i], expected)
  })
})
