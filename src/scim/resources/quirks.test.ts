// Unit tests of the named client quirks (SPEC §7, entra-provisioning.md §3–4, §8).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import { ScimError } from '../errors.ts'
import { ENTRA_ADSCIM_GROUP_URN } from '../schemas/index.ts'
import {
  LENIENT_QUIRKS,
  STRICT_QUIRKS,
  coerceBareMembers,
  coerceManagerValue,
  coerceStringBoolean,
  isIgnoredSchemaUrn,
  isUnassigned,
} from './quirks.ts'

describe('coerceStringBoolean', () => {
  it('turns Entra\'s "True" and "False" into booleans, in any case', () => {
    assert.equal(coerceStringBoolean('True', 'active', LENIENT_QUIRKS), true)
    assert.equal(coerceStringBoolean('False', 'active', LENIENT_QUIRKS), false)
    assert.equal(coerceStringBoolean('tRUE', 'active', LENIENT_QUIRKS), true)
    assert.equal(coerceStringBoolean('false', 'active', LENIENT_QUIRKS), false)
  })

  it('returns real booleans and other strings unchanged', () => {
    assert.equal(coerceStringBoolean(false, 'active', LENIENT_QUIRKS), false)
    assert.equal(coerceStringBoolean('yes', 'active', LENIENT_QUIRKS), 'yes')
    assert.equal(coerceStringBoolean(1, 'active', LENIENT_QUIRKS), 1)
  })

  it('refuses string booleans in strict mode with invalidValue naming attribute and quirk', () => {
    assert.throws(
      () => coerceStringBoolean('False', 'active', STRICT_QUIRKS),
      (error: unknown) =>
        error instanceof ScimError &&
        error.status === 400 &&
        error.scimType === 'invalidValue' &&
        error.detail.includes('"active"') &&
        error.detail.includes('strict'),
    )
  })

  it('lets real booleans through in strict mode', () => {
    assert.equal(coerceStringBoolean(true, 'active', STRICT_QUIRKS), true)
  })
})

describe('isUnassigned', () => {
  it('treats null, undefined and empty arrays as unassigned (RFC 7643 §2.5)', () => {
    assert.equal(isUnassigned(null), true)
    assert.equal(isUnassigned(undefined), true)
    assert.equal(isUnassigned([]), true)
  })

  it('treats empty strings, false and objects as values', () => {
    assert.equal(isUnassigned(''), false)
    assert.equal(isUnassigned(false), false)
    assert.equal(isUnassigned({}), false)
  })
})

describe('coerceManagerValue', () => {
  it('turns a bare manager id into { value: id }', () => {
    assert.deepEqual(coerceManagerValue('26118915-6090-4610-87e4-49d8ca9f808d'), {
      value: '26118915-6090-4610-87e4-49d8ca9f808d',
    })
  })

  it('reads "" and { value: "" } as no manager', () => {
    assert.equal(coerceManagerValue(''), undefined)
    assert.equal(coerceManagerValue({ value: '' }), undefined)
    assert.equal(coerceManagerValue({ Value: '', $ref: null }), undefined)
  })

  it('unwraps the one-element array of the old Entra tutorial', () => {
    // The client's $ref points into its own system: only the id is kept.
    assert.deepEqual(coerceManagerValue([{ $ref: 'https://x/Users/m1', value: 'm1' }]), {
      value: 'm1',
    })
    assert.deepEqual(coerceManagerValue(['m1']), { value: 'm1' })
  })

  it('returns other values unchanged for the type check', () => {
    assert.equal(coerceManagerValue(42), 42)
    assert.deepEqual(coerceManagerValue({ value: 'm1' }), { value: 'm1' })
  })
})

describe('coerceBareMembers', () => {
  it('turns a bare member id into a one-member array', () => {
    assert.deepEqual(coerceBareMembers('u1'), [{ value: 'u1' }])
  })

  it('turns bare ids inside an array into member objects', () => {
    assert.deepEqual(coerceBareMembers(['u1', { value: 'u2' }]), [{ value: 'u1' }, { value: 'u2' }])
  })

  it('returns member objects unchanged', () => {
    const members = [{ value: 'u1', $ref: null }]
    assert.equal(coerceBareMembers(members), members)
  })
})

describe('isIgnoredSchemaUrn', () => {
  it("drops Entra's ADSCIM group URN in lenient mode, in any case", () => {
    assert.equal(isIgnoredSchemaUrn(ENTRA_ADSCIM_GROUP_URN, LENIENT_QUIRKS), true)
    assert.equal(isIgnoredSchemaUrn(ENTRA_ADSCIM_GROUP_URN.toUpperCase(), LENIENT_QUIRKS), true)
  })

  it('does not drop it in strict mode (interop profile §5.3)', () => {
    assert.equal(isIgnoredSchemaUrn(ENTRA_ADSCIM_GROUP_URN, STRICT_QUIRKS), false)
  })

  it('does not drop any other URN', () => {
    assert.equal(isIgnoredSchemaUrn('urn:example:unknown', LENIENT_QUIRKS), false)
  })
})
