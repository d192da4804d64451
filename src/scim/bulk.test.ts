// Unit tests of the pure /Bulk protocol logic (RFC 7644 §3.7): request and operation validation,
// bulkId references and substitution (§3.7.2), processing order and circular references (§3.7.1).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import {
  findBulkIdReferences,
  parseBulkOperation,
  parseBulkPath,
  parseBulkRequest,
  planBulkOperations,
  resolveBulkOperation,
  substituteBulkIds,
  type BulkOperation,
  type InvalidBulkOperation,
  type ValidBulkOperation,
} from './bulk.ts'
import { ScimError } from './errors.ts'
import { BULK_REQUEST_URN } from './schemas/index.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const LIMITS = { maxOperations: 10 }

const postUser = (bulkId: string, userName = bulkId) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { schemas: [USER], userName },
})
const postGroup = (bulkId: string, memberRefs: string[]) => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: {
    schemas: [GROUP],
    displayName: bulkId,
    members: memberRefs.map((ref) => ({ value: `bulkId:${ref}` })),
  },
})

function valid(operation: BulkOperation): ValidBulkOperation {
  assert.equal(operation.kind, 'valid', operation.kind === 'invalid' ? operation.error.detail : '')
  return operation as ValidBulkOperation
}

function invalid(operation: BulkOperation | undefined): InvalidBulkOperation {
  assert.equal(operation?.kind, 'invalid')
  return operation as InvalidBulkOperation
}

function plan(...raw: unknown[]): BulkOperation[] {
  return planBulkOperations(raw.map((r, index) => parseBulkOperation(r, index)))
}

function throws(fn: () => unknown, status: number, scimType?: string): ScimError {
  let caught: unknown
  try {
    fn()
  } catch (error) {
    caught = error
  }
  assert.ok(caught instanceof ScimError, 'expected a ScimError')
  assert.equal(caught.status, status)
  assert.equal(caught.scimType, scimType)
  return caught
}

describe('parseBulkRequest', () => {
  it('reads failOnErrors and every operation in request order', () => {
    const request = parseBulkRequest(
      {
        schemas: [BULK_REQUEST_URN],
        failOnErrors: 2,
        Operations: [postUser('a'), { method: 'GET' }],
      },
      LIMITS,
    )
    assert.equal(request.failOnErrors, 2)
    assert.deepEqual(
      request.operations.map((o) => [o.index, o.kind]),
      [
        [0, 'valid'],
        [1, 'invalid'],
      ],
    )
  })

  it('accepts attribute names in any case (RFC 7643 §2.1)', () => {
    const request = parseBulkRequest(
      {
        Schemas: [BULK_REQUEST_URN],
        operations: [{ Method: 'post', PATH: '/Users', BulkId: 'a', Data: {} }],
      },
      LIMITS,
    )
    assert.equal(valid(request.operations[0] as BulkOperation).method, 'POST')
  })

  it('rejects a body without the BulkRequest schema with 400 invalidSyntax', () => {
    throws(() => parseBulkRequest({ Operations: [postUser('a')] }, LIMITS), 400, 'invalidSyntax')
    throws(() => parseBulkRequest([postUser('a')], LIMITS), 400, 'invalidSyntax')
    throws(() => parseBulkRequest(undefined, LIMITS), 400, 'invalidSyntax')
  })

  it('rejects a missing or empty Operations', () => {
    throws(() => parseBulkRequest({ schemas: [BULK_REQUEST_URN] }, LIMITS), 400, 'invalidSyntax')
    throws(
      () => parseBulkRequest({ schemas: [BULK_REQUEST_URN], Operations: [] }, LIMITS),
      400,
      'invalidValue',
    )
  })

  it('answers 413 naming the limit when there are more operations than maxOperations (§3.7.4)', () => {
    const operations = Array.from({ length: 11 }, (_, i) => postUser(`u${i}`))
    const error = throws(
      () => parseBulkRequest({ schemas: [BULK_REQUEST_URN], Operations: operations }, LIMITS),
      413,
    )
    assert.match(error.detail, /11 operations.*at most 10/)
  })

  it('rejects failOnErrors that is not an integer of at least 1', () => {
    for (const failOnErrors of [0, -1, 1.5, '1', true]) {
      throws(
        () =>
          parseBulkRequest(
            { schemas: [BULK_REQUEST_URN], failOnErrors, Operations: [postUser('a')] },
            LIMITS,
          ),
        400,
        'invalidValue',
      )
    }
  })
})

describe('parseBulkOperation', () => {
  it('reads method in any case, path, bulkId, version and data', () => {
    const op = valid(
      parseBulkOperation(
        { method: 'patch', path: '/Groups/g1', version: 'W/"3"', data: { Operations: [] } },
        4,
      ),
    )
    assert.deepEqual(op, {
      kind: 'valid',
      index: 4,
      method: 'PATCH',
      bulkId: undefined,
      endpoint: '/Groups',
      id: 'g1',
      version: 'W/"3"',
      data: { Operations: [] },
      references: [],
    })
  })

  it('rejects an unknown method with 400, echoing it', () => {
    const op = invalid(parseBulkOperation({ method: 'GET', path: '/Users/1', bulkId: 'x' }, 0))
    assert.equal(op.error.status, 400)
    assert.equal(op.method, 'GET')
    assert.equal(op.bulkId, 'x')
    assert.match(op.error.detail, /method "GET" is not allowed/)
  })

  it('rejects unknown paths and paths that do not fit the method with 400 invalidPath', () => {
    for (const [method, path] of [
      ['POST', '/Widgets'],
      ['POST', '/Users/123'],
      ['PUT', '/Users'],
      ['DELETE', '/Users/1/x'],
      ['PATCH', 'Users/1'],
      ['POST', '/Users?x=1'],
    ]) {
      const op = invalid(parseBulkOperation({ method, path, bulkId: 'b', data: {} }, 0))
      assert.equal(op.error.status, 400, `${method} ${path}`)
      assert.equal(op.error.scimType, 'invalidPath', `${method} ${path}`)
    }
  })

  it('requires a bulkId for POST and data for POST, PUT and PATCH (§3.7)', () => {
    assert.match(
      invalid(parseBulkOperation({ method: 'POST', path: '/Users', data: {} }, 0)).error.detail,
      /bulkId is required/,
    )
    assert.match(
      invalid(parseBulkOperation({ method: 'PUT', path: '/Users/1' }, 0)).error.detail,
      /data/,
    )
    assert.equal(
      valid(parseBulkOperation({ method: 'DELETE', path: '/Users/1' }, 0)).data,
      undefined,
    )
  })

  it('rejects a non-object operation and a non-string version with 400 invalidSyntax', () => {
    assert.equal(invalid(parseBulkOperation('POST /Users', 0)).error.scimType, 'invalidSyntax')
    assert.equal(
      invalid(parseBulkOperation({ method: 'DELETE', path: '/Users/1', version: 3 }, 0)).error
        .scimType,
      'invalidSyntax',
    )
  })

  it('collects the bulkIds referenced by the path and the data, each once', () => {
    const op = valid(
      parseBulkOperation(
        {
          method: 'PATCH',
          path: '/Groups/bulkId:g',
          data: {
            Operations: [
              {
                op: 'add',
                path: 'members',
                value: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }],
              },
              { op: 'add', path: 'members', value: [{ value: 'bulkId:u1' }] },
            ],
          },
        },
        0,
      ),
    )
    assert.deepEqual(op.references, ['g', 'u1', 'u2'])
    assert.equal(op.id, 'bulkId:g')
  })
})

describe('parseBulkPath', () => {
  it('splits endpoint and percent-decoded id', () => {
    assert.deepEqual(parseBulkPath('/Users'), { endpoint: '/Users', id: undefined })
    assert.deepEqual(parseBulkPath('/Groups/a%20b'), { endpoint: '/Groups', id: 'a b' })
    assert.equal(parseBulkPath('/Groups/%E0%A4%A'), undefined)
    assert.equal(parseBulkPath('/Schemas'), undefined)
  })
})

describe('bulkId references (§3.7.2)', () => {
  it('finds "bulkId:" strings at any depth, including the enterprise manager', () => {
    const data = {
      userName: 'Bob',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
        manager: { value: 'bulkId:qwerty' },
      },
      members: [{ value: 'bulkId:a' }, { value: 'plain' }, { value: 'bulkId:' }],
      nickName: 'not bulkId:x',
    }
    assert.deepEqual(findBulkIdReferences(data), ['qwerty', 'a'])
  })

  it('substitutes known references in a copy and leaves the input alone', () => {
    const data = {
      members: [{ value: 'bulkId:a', type: 'User' }, { value: 'bulkId:zzz' }],
      displayName: 'bulkId:a x',
    }
    const copy = substituteBulkIds(data, new Map([['a', 'id-1']]))
    assert.deepEqual(copy, {
      members: [{ value: 'id-1', type: 'User' }, { value: 'bulkId:zzz' }],
      displayName: 'bulkId:a x',
    })
    assert.equal(data.members[0]?.value, 'bulkId:a')
  })

  it('keeps a "__proto__" key as data when copying', () => {
    const data = JSON.parse('{"__proto__": {"polluted": "bulkId:a"}}') as unknown
    const copy = substituteBulkIds(data, new Map([['a', 'id-1']])) as Record<string, unknown>
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value, {
      polluted: 'id-1',
    })
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  it('resolves the path and data of an operation against the created ids', () => {
    const op = valid(
      parseBulkOperation(
        {
          method: 'PUT',
          path: '/Groups/bulkId:g',
          data: { displayName: 'G', members: [{ value: 'bulkId:u' }] },
        },
        3,
      ),
    )
    const resolved = resolveBulkOperation(
      op,
      new Map([
        ['g', 'group-1'],
        ['u', 'user-1'],
      ]),
    )
    assert.deepEqual(resolved, {
      kind: 'resolved',
      id: 'group-1',
      data: { displayName: 'G', members: [{ value: 'user-1' }] },
    })
  })

  it('answers 409 when a referenced POST did not create its resource', () => {
    const op = valid(parseBulkOperation(postGroup('g', ['u']), 1))
    const resolved = resolveBulkOperation(op, new Map())
    assert.equal(resolved.kind, 'unresolved')
    if (resolved.kind === 'unresolved') {
      assert.equal(resolved.error.status, 409)
      assert.match(resolved.error.detail, /"bulkId:u"/)
    }
  })
})

describe('planBulkOperations', () => {
  const order = (ops: BulkOperation[]) => ops.map((o) => o.index)

  it('keeps request order when nothing refers forward', () => {
    assert.deepEqual(order(plan(postUser('u'), postGroup('g', ['u']), postUser('v'))), [0, 1, 2])
  })

  it('moves a POST just before the first operation that references it', () => {
    const planned = plan(
      { method: 'DELETE', path: '/Users/old' },
      postGroup('g', ['u', 'v']),
      postUser('w'),
      postUser('v'),
      postUser('u'),
    )
    assert.deepEqual(order(planned), [0, 4, 3, 1, 2])
    assert.ok(planned.every((o) => o.kind === 'valid'))
  })

  it('orders chains of references (a PATCH by path on a group that needs a user)', () => {
    const planned = plan(
      {
        method: 'PATCH',
        path: '/Groups/bulkId:g',
        data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }] },
      },
      postGroup('g', []),
      postUser('u'),
    )
    assert.deepEqual(order(planned), [1, 2, 0])
  })

  it('refuses a two-operation cycle with 409 for both, naming the cycle (§3.7.1)', () => {
    const planned = plan(
      postGroup('qwerty', ['ytrewq']),
      postGroup('ytrewq', ['qwerty']),
      postUser('ok'),
    )
    const [a, b, c] = planned
    assert.equal(invalid(a).error.status, 409)
    assert.equal(invalid(b).error.status, 409)
    assert.match(invalid(a).error.detail, /"qwerty" → "ytrewq" → "qwerty"/)
    assert.equal(c?.kind, 'valid')
  })

  it('refuses a POST that references its own bulkId with 409', () => {
    const [op] = plan(postGroup('self', ['self']))
    assert.equal(invalid(op).error.status, 409)
  })

  it('refuses a longer cycle and leaves its dependants to fail at run time', () => {
    const planned = plan(
      postGroup('dependant', ['a']),
      postGroup('a', ['b']),
      postGroup('b', ['c']),
      postGroup('c', ['a']),
    )
    const byIndex = new Map(planned.map((o) => [o.index, o]))
    for (const i of [1, 2, 3]) assert.equal(invalid(byIndex.get(i)).error.status, 409)
    assert.equal(byIndex.get(0)?.kind, 'valid')
    assert.equal(order(planned).at(-1), 0)
  })

  it('answers 400 invalidValue for a reference no POST declares', () => {
    const [user, group] = plan(postUser('u'), postGroup('g', ['u', 'nope']))
    assert.equal(user?.kind, 'valid')
    assert.equal(invalid(group).error.scimType, 'invalidValue')
    assert.match(invalid(group).error.detail, /"bulkId:nope"/)
  })

  it('answers 400 invalidValue for a second POST with the same bulkId, and resolves to the first', () => {
    const planned = plan(postGroup('g', ['u']), postUser('u', 'first'), postUser('u', 'second'))
    assert.deepEqual(order(planned), [1, 0, 2])
    assert.match(invalid(planned[2]).error.detail, /already declared by Operations\[1\]/)
  })

  it('still orders dependants after an invalid POST that declares their bulkId', () => {
    const planned = plan(postGroup('g', ['u']), {
      method: 'post',
      path: '/Widgets',
      bulkId: 'u',
      data: {},
    })
    assert.deepEqual(order(planned), [1, 0])
    assert.equal(planned[1]?.kind, 'valid')
  })

  it('returns every operation exactly once', () => {
    const raw = [
      postGroup('a', ['b']),
      postGroup('b', ['a']),
      postUser('c'),
      { method: 'GET' },
      postGroup('d', ['c', 'a']),
    ]
    assert.deepEqual(order(plan(...raw)).sort(), [0, 1, 2, 3, 4])
  })
})
