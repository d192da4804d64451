import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { redactBody } from './log-writer.ts'
import { mayNeedRedaction, redactScimValue } from './redact.ts'

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '01a2333d-3b4e-7128-a0e8-4c6296a0e89c',
  userName: 'ada@example.com',
  name: { familyName: 'Lovelace', givenName: 'Ada' },
  emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
  groups: [{ value: 'g1', display: 'Engineering', type: 'direct' }],
  active: true,
  meta: { resourceType: 'User', version: 'W/"1"' },
}

describe('mayNeedRedaction', () => {
  it('lets a rendered resource through, whose log text is then the response text itself', () => {
    const text = JSON.stringify({ Resources: [user], totalResults: 1 })
    assert.equal(mayNeedRedaction(text), false)
    assert.equal(redactBody(text, 4096), text)
    assert.equal(JSON.stringify(redactScimValue(JSON.parse(text))), text)
  })

  it('sends anything the walk could change down the walk', () => {
    const cases = {
      password: { ...user, password: 'hunter2' },
      'URN-qualified password': { 'urn:ietf:params:scim:schemas:core:2.0:User:PassWord': 'x' },
      'secret-looking key': { clientSecret: 'x' },
      'path naming a secret': { op: 'replace', path: 'password', value: 'x' },
    }
    for (const [name, body] of Object.entries(cases)) {
      assert.equal(mayNeedRedaction(JSON.stringify(body)), true, name)
      assert.doesNotMatch(redactBody(JSON.stringify(body), 4096) ?? '', /hunter2|"x"/, name)
    }
    assert.equal(mayNeedRedaction('{"p\\u0061ssword":"x"}'), true, 'an escape')
    assert.equal(mayNeedRedaction('{ "a": 1 }'), true, 'whitespace the walk would drop')
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`
    assert.equal(mayNeedRedaction(deep), true, 'nesting the walk would cut')
    assert.notEqual(redactBody(deep, 4096), deep)
  })
})

describe('redactBody of a body longer than the log keeps', () => {
  const page = (users: object[]) =>
    JSON.stringify({ totalResults: users.length, Resources: users, itemsPerPage: users.length })
  const many = Array.from({ length: 60 }, (_, i) => ({ ...user, userName: `u${i}@example.com` }))

  it('cuts a page with nothing to redact exactly where the walk would', () => {
    const text = page(many)
    assert.ok(text.length > 8192)
    const walked = JSON.stringify(redactScimValue(JSON.parse(text)))
    const expected = `${walked.slice(0, 4096)}… [truncated]`
    assert.equal(redactBody(text, 4096), expected)
  })

  it('still redacts a secret inside the part it keeps', () => {
    const text = page([{ ...user, password: 'hunter2' }, ...many])
    const logged = redactBody(text, 4096) ?? ''
    assert.doesNotMatch(logged, /hunter2/)
    assert.match(logged, /\[redacted\]/)
    assert.match(logged, /\[truncated\]$/)
  })
})
