// Unit tests of `members` parsing (RFC 7643 §4.2), as POST/PUT (`idCheck: 'string'`) and PATCH
// (`idCheck: 'present'`) use it, with the exact details each of them has always given.

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'
import { GROUP_RESOURCE_TYPE } from '../schemas/index.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import { parseMembers } from './members.ts'
import type { ParseMembersOptions } from './members.ts'
import { LENIENT_QUIRKS, STRICT_QUIRKS } from './quirks.ts'

const MEMBERS = GROUP_RESOURCE_TYPE.schema.attributes.find(
  (attribute) => attribute.name === 'members',
) as AttributeDefinition

const BODY: ParseMembersOptions = { label: 'members', quirks: LENIENT_QUIRKS, idCheck: 'string' }
const PATCH: ParseMembersOptions = { label: 'Members', quirks: LENIENT_QUIRKS, idCheck: 'present' }

/** Asserts a 400 ScimError with this scimType and exactly this detail. */
function rejects(fn: () => unknown, scimType: string, detail: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`)
    assert.equal(error.status, 400)
    assert.equal(error.scimType, scimType)
    assert.equal(error.detail, detail)
    return true
  })
}

describe('parseMembers', () => {
  it('reads value and type, matching names and types case-insensitively', () => {
    for (const options of [BODY, PATCH]) {
      assert.deepEqual(
        parseMembers(
          MEMBERS,
          [
            { Value: 'u1', $ref: 'https://example.com/Users/u1', display: 'Ann' },
            { value: 'g1', TYPE: 'group' },
            { value: 'u2', type: 'USER' },
          ],
          options,
        ),
        [{ value: 'u1' }, { value: 'g1', type: 'Group' }, { value: 'u2', type: 'User' }],
      )
    }
  })

  it('collapses repeats of an id, keeping the first type asserted', () => {
    const value = [
      { value: 'u1' },
      { value: 'u2', type: 'User' },
      { value: 'u1', type: 'User' },
      { value: 'u2', type: 'Group' },
    ]
    assert.deepEqual(parseMembers(MEMBERS, value, BODY), [
      { value: 'u1', type: 'User' },
      { value: 'u2', type: 'User' },
    ])
  })

  it('accepts bare ids, in strict mode too (the caller refuses them where it must)', () => {
    const options = { ...BODY, quirks: STRICT_QUIRKS }
    assert.deepEqual(parseMembers(MEMBERS, 'u1', options), [{ value: 'u1' }])
    assert.deepEqual(parseMembers(MEMBERS, ['u1', { value: 'u2' }], options), [
      { value: 'u1' },
      { value: 'u2' },
    ])
  })

  it('gives no members for null and []', () => {
    for (const options of [BODY, PATCH]) {
      assert.deepEqual(parseMembers(MEMBERS, null, options), [])
      assert.deepEqual(parseMembers(MEMBERS, [], options), [])
    }
  })

  it('does not modify the value', () => {
    const value = [{ Value: 'u1', display: 'Ann' }, 'u2']
    const copy = structuredClone(value)
    parseMembers(MEMBERS, value, PATCH)
    assert.deepEqual(value, copy)
  })

  it('refuses a member without value, worded per caller', () => {
    rejects(
      () => parseMembers(MEMBERS, [{ value: 'u1' }, { display: 'Ann' }], BODY),
      'invalidValue',
      'members[1].value is required: each member must carry the "id" (a string) of a User or Group.',
    )
    rejects(
      () => parseMembers(MEMBERS, [{ value: 'u1' }, { display: 'Ann' }], PATCH),
      'invalidValue',
      'Members[1].value is required: each member must carry the "id" of a User or Group.',
    )
  })

  it('refuses an empty id in both modes', () => {
    rejects(
      () => parseMembers(MEMBERS, [{ value: ' ' }], BODY),
      'invalidValue',
      'members[0].value is required: each member must carry the "id" (a string) of a User or Group.',
    )
    rejects(
      () => parseMembers(MEMBERS, [{ value: '' }], PATCH),
      'invalidValue',
      'Members[0].value is required: each member must carry the "id" of a User or Group.',
    )
  })

  it('checks a non-string id before coercion for bodies, by coercion for PATCH', () => {
    rejects(
      () => parseMembers(MEMBERS, [{ value: 5 }], BODY),
      'invalidValue',
      'members[0].value is required: each member must carry the "id" (a string) of a User or Group.',
    )
    rejects(
      () => parseMembers(MEMBERS, [{ value: 5 }], PATCH),
      'invalidValue',
      'Attribute "Members[0].value" must be a string, got the number 5.',
    )
  })

  it('refuses a null id for bodies and drops the emptied element for PATCH', () => {
    rejects(
      () => parseMembers(MEMBERS, [{ value: null, display: 'Ann' }], BODY),
      'invalidValue',
      'members[0].value is required: each member must carry the "id" (a string) of a User or Group.',
    )
    assert.deepEqual(
      parseMembers(MEMBERS, [{ value: null, display: 'Ann' }, { value: 'u1' }], PATCH),
      [{ value: 'u1' }],
    )
  })

  it('refuses a type other than User or Group', () => {
    rejects(
      () => parseMembers(MEMBERS, [{ value: 'u1', type: 'Device' }], BODY),
      'invalidValue',
      'members[0].type must be "User" or "Group", got the string "Device".',
    )
    rejects(
      () => parseMembers(MEMBERS, [{ value: 'u1' }, { value: 'u2', type: 'Device' }], PATCH),
      'invalidValue',
      'Members[1].type must be "User" or "Group", got the string "Device".',
    )
  })

  it('refuses a single member object (callers wrap it where they accept it)', () => {
    rejects(
      () => parseMembers(MEMBERS, { value: 'u1' }, BODY),
      'invalidValue',
      'Attribute "members" is multi-valued: expected an array of an object with the ' +
        'sub-attributes value, $ref, type, got an object.',
    )
  })
})
