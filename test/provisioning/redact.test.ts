// Redaction of SCIM bodies for the provisioning log: schema-resolved secrets in resources, PATCH
// operations (any case, URN paths, value paths, path-less values) and Bulk bodies; bounded depth.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { redactBody } from '../../src/provisioning/log-writer.ts'
import {
  isSecretName,
  NESTED_TOO_DEEP,
  REDACTED,
  redactScimValue,
} from '../../src/provisioning/redact.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'

const logged = (body: unknown): string => {
  const text = redactBody(body, 1_000_000)
  assert.ok(text)
  return text
}

describe('isSecretName', () => {
  it('resolves the password as the handlers do: any case, URN-qualified, dotted, filtered', () => {
    for (const name of [
      'password',
      'PassWord',
      ` ${USER}:password `,
      `${USER.toUpperCase()}:PASSWORD`,
      'password.value',
      `${USER}:password.value`,
      'password[value eq "x"]',
      'name.password',
      'client_secret',
      'access_token',
      'refresh_token',
      'token',
      'apiKey',
    ]) {
      assert.equal(isSecretName(name), true, name)
    }
  })

  it('keeps ordinary attributes, whole schema URNs and Bulk paths', () => {
    for (const name of [
      'userName',
      'name.givenName',
      'emails[type eq "work"].value',
      'emails[value eq "password@x.io"]',
      `${ENTERPRISE}:manager`,
      USER,
      ENTERPRISE,
      '/Users/2819c223',
      'Operations',
      'value',
    ]) {
      assert.equal(isSecretName(name), false, name)
    }
  })
})

describe('redactScimValue', () => {
  it('redacts a URN-qualified password at the top of a resource', () => {
    const text = logged({ schemas: [USER], userName: 'a@x.io', [`${USER}:password`]: 'hunter2' })
    assert.doesNotMatch(text, /hunter2/)
    assert.match(text, /a@x\.io/)
    assert.match(text, new RegExp(`"${USER}:password":"\\[redacted\\]"`))
  })

  it('redacts a password inside the core schema object and in any spelling', () => {
    const text = logged({
      [USER]: { password: 'hunter2' },
      PASSWORD: 'hunter3',
      userName: 'a@x.io',
    })
    assert.doesNotMatch(text, /hunter/)
  })

  it('redacts PATCH values on the password whatever the case of path and value (Entra)', () => {
    const body = {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', Path: 'password', Value: 'hunter1' },
        { OP: 'replace', PATH: `${USER}:password`, VALUE: 'hunter2' },
        { op: 'replace', path: 'PassWord', value: 'hunter3' },
        { op: 'add', path: 'password[value eq "x"]', value: ['hunter4'] },
        { op: 'replace', path: 'displayName', value: 'Kept Name' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'kept@x.io' },
      ],
    }
    const text = logged(body)
    assert.doesNotMatch(text, /hunter/)
    assert.match(text, /Kept Name/)
    assert.match(text, /kept@x\.io/)
    assert.match(text, /"Path":"password","Value":"\[redacted\]"/)
  })

  it('redacts the password inside a path-less PATCH value, URN-qualified or wrapped', () => {
    const text = logged({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', value: { [`${USER}:password`]: 'hunter1', displayName: 'Kept' } },
        { op: 'Replace', value: { [USER]: { password: 'hunter2' } } },
        { op: 'add', value: { 'password.x': 'hunter3' } },
        { op: 'replace', path: USER, value: { password: 'hunter4' } },
      ],
    })
    assert.doesNotMatch(text, /hunter/)
    assert.match(text, /Kept/)
  })

  it('redacts passwords in Bulk operations, in resources and in PATCH data', () => {
    const text = logged({
      schemas: [BULK],
      Operations: [
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'b1',
          data: { schemas: [USER], userName: 'bulk@x.io', [`${USER}:password`]: 'hunter1' },
        },
        {
          method: 'PATCH',
          path: '/Users/bulkId:b1',
          data: {
            schemas: [PATCH_OP],
            Operations: [
              { op: 'Replace', Path: 'password', Value: 'hunter2' },
              { op: 'Replace', value: { 'password.value': 'hunter3' } },
            ],
          },
        },
      ],
    })
    assert.doesNotMatch(text, /hunter/)
    assert.match(text, /bulk@x\.io/)
    assert.match(text, /"path":"\/Users\/bulkId:b1"/)
  })

  it('redacts secret-looking keys that are no SCIM attribute, walking into their objects', () => {
    const text = logged({
      client_secret: 's1',
      nested: [{ access_token: 's2', Token: ['s3'] }],
      changePassword: { supported: false },
      credentials: { password: 's4' },
    })
    assert.doesNotMatch(text, /s[1-4]/)
    assert.match(text, /"changePassword":\{"supported":false\}/)
  })

  it('keeps "__proto__" as a plain key of the copy', () => {
    const body = JSON.parse('{"__proto__":{"password":"hunter2"},"userName":"a"}') as unknown
    const copy = redactScimValue(body) as Record<string, unknown>
    assert.equal(Object.getPrototypeOf(copy), Object.prototype)
    assert.deepEqual(Object.keys(copy), ['__proto__', 'userName'])
    assert.doesNotMatch(JSON.stringify(copy), /hunter2/)
  })

  it('replaces what is nested deeper than the bound with a marker, 100,000 levels without overflow', () => {
    let deep: unknown = { password: 'hunter2' }
    for (let i = 0; i < 100_000; i++) deep = { a: deep }
    const copy = redactScimValue({ userName: 'a@x.io', junk: deep }, { maxDepth: 10 })
    const text = JSON.stringify(copy)
    assert.match(text, /a@x\.io/)
    assert.ok(text.includes(`"${NESTED_TOO_DEEP}"`))
    assert.ok(text.length < 200)
    const arrays = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown
    assert.ok(JSON.stringify(redactScimValue(arrays)).includes(NESTED_TOO_DEEP))
  })

  it('visits no more than maxNodes values of a wide body', () => {
    const wide = Array.from({ length: 200_000 }, (_, i) => ({ password: `p${i}`, n: i }))
    const started = performance.now()
    const text = JSON.stringify(redactScimValue(wide, { maxNodes: 100 }))
    assert.ok(performance.now() - started < 200)
    assert.ok(text.length < 2000)
    assert.doesNotMatch(text, /p\d/)
  })
})

describe('redactBody', () => {
  it('logs a 100,000-deep JSON text and object without overflowing the stack', () => {
    const text = '{"a":'.repeat(100_000) + '"hunter2"' + '}'.repeat(100_000)
    for (const body of [text, JSON.parse(text) as unknown]) {
      const stored = redactBody(body, 4096)
      assert.ok(stored?.includes(NESTED_TOO_DEEP))
      assert.doesNotMatch(stored ?? '', /hunter2/)
    }
  })

  it('cuts at the byte limit exactly as without the node budget', () => {
    const body = { schemas: [USER], emails: Array.from({ length: 5000 }, (_, i) => ({ value: i })) }
    const full = JSON.stringify(body)
    const stored = redactBody(body, 300)
    assert.equal(stored, `${Buffer.from(full).subarray(0, 300).toString('utf8')}… [truncated]`)
  })

  it('keeps a text that is no JSON as it is, and says so when a body cannot be logged', () => {
    assert.equal(redactBody('not json', 100), 'not json')
    assert.equal(redactBody({ n: 1n }, 100), '[body not loggable]')
    assert.equal(redactBody({ a: REDACTED }, 100), '{"a":"[redacted]"}')
  })
})
