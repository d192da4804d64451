import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ScimError } from '../errors.ts'
import { assertPatchOperationLimit } from './operation-limit.ts'

const body = (n: number, key = 'Operations') => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  [key]: Array.from({ length: n }, () => ({ op: 'add', path: 'nickName', value: 'x' })),
})

describe('assertPatchOperationLimit', () => {
  it('accepts up to the limit', () => {
    assertPatchOperationLimit(body(3), 3)
    assertPatchOperationLimit(body(0), 3)
  })

  it('refuses more operations with 400 invalidValue naming the limit and the setting', () => {
    for (const key of ['Operations', 'operations']) {
      assert.throws(
        () => assertPatchOperationLimit(body(4, key), 3),
        (error: unknown) =>
          error instanceof ScimError &&
          error.status === 400 &&
          error.scimType === 'invalidValue' &&
          /4 operations; at most 3 .*SCIM_MAX_PATCH_OPERATIONS/.test(error.detail),
      )
    }
  })

  it('leaves malformed bodies to applyPatch', () => {
    assertPatchOperationLimit(undefined, 1)
    assertPatchOperationLimit([1, 2, 3], 1)
    assertPatchOperationLimit({ Operations: 'many' }, 1)
  })
})
