// Tests of attribute path resolution (RFC 7643 §2.1 case-insensitivity, §3.1 common attributes).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  SCIM_GROUP_SCHEMA_URN,
  SCIM_USER_SCHEMA_URN,
  USER_RESOURCE_TYPE,
} from './index.ts'
import { findSchema, resolveAttributePath, resolveSubAttribute, splitUrnPath } from './resolve.ts'

describe('resolveAttributePath', () => {
  it('resolves a core attribute case-insensitively and spells it as the schema does', () => {
    const resolved = resolveAttributePath({ attr: 'USERNAME' }, USER_RESOURCE_TYPE)
    assert.ok(resolved)
    assert.equal(resolved.schemaUrn, SCIM_USER_SCHEMA_URN)
    assert.equal(resolved.isExtension, false)
    assert.equal(resolved.isCommon, false)
    assert.equal(resolved.definition.name, 'userName')
    assert.equal(resolved.sub, undefined)
    assert.deepEqual(resolved.canonical, { attr: 'userName' })
  })

  it('resolves a sub-attribute', () => {
    const resolved = resolveAttributePath({ attr: 'name', sub: 'FAMILYNAME' }, USER_RESOURCE_TYPE)
    assert.equal(resolved?.definition.name, 'name')
    assert.equal(resolved?.sub?.name, 'familyName')
    assert.deepEqual(resolved?.canonical, { attr: 'name', sub: 'familyName' })
  })

  it('resolves a core attribute written with the core URN', () => {
    const resolved = resolveAttributePath(
      { uri: SCIM_USER_SCHEMA_URN.toUpperCase(), attr: 'name', sub: 'givenName' },
      USER_RESOURCE_TYPE,
    )
    assert.equal(resolved?.isExtension, false)
    assert.deepEqual(resolved?.canonical, { attr: 'name', sub: 'givenName' })
  })

  it('resolves an extension attribute by its URN and keeps the URN in the canonical path', () => {
    const resolved = resolveAttributePath(
      { uri: ENTERPRISE_USER_SCHEMA_URN, attr: 'Manager', sub: 'Value' },
      USER_RESOURCE_TYPE,
    )
    assert.ok(resolved)
    assert.equal(resolved.schemaUrn, ENTERPRISE_USER_SCHEMA_URN)
    assert.equal(resolved.isExtension, true)
    assert.equal(resolved.sub?.name, 'value')
    assert.deepEqual(resolved.canonical, {
      uri: ENTERPRISE_USER_SCHEMA_URN,
      attr: 'manager',
      sub: 'value',
    })
  })

  it('resolves the Group description extension', () => {
    const resolved = resolveAttributePath(
      { uri: GROUP_EXTENSION_SCHEMA_URN, attr: 'description' },
      GROUP_RESOURCE_TYPE,
    )
    assert.equal(resolved?.isExtension, true)
    assert.equal(resolved?.definition.type, 'string')
  })

  it('resolves the common attributes id, externalId and meta sub-attributes', () => {
    const id = resolveAttributePath({ attr: 'ID' }, GROUP_RESOURCE_TYPE)
    assert.equal(id?.isCommon, true)
    assert.equal(id?.schemaUrn, SCIM_GROUP_SCHEMA_URN)
    assert.equal(id?.definition.caseExact, true)
    const externalId = resolveAttributePath({ attr: 'externalid' }, USER_RESOURCE_TYPE)
    assert.equal(externalId?.definition.name, 'externalId')
    assert.equal(externalId?.definition.caseExact, true)
    const created = resolveAttributePath({ attr: 'meta', sub: 'Created' }, USER_RESOURCE_TYPE)
    assert.equal(created?.sub?.type, 'dateTime')
    assert.deepEqual(created?.canonical, { attr: 'meta', sub: 'created' })
    const prefixed = resolveAttributePath(
      { uri: SCIM_USER_SCHEMA_URN, attr: 'externalId' },
      USER_RESOURCE_TYPE,
    )
    assert.equal(prefixed?.isCommon, true)
  })

  it('resolves an unqualified extension attribute unless the URN is required', () => {
    const resolved = resolveAttributePath({ attr: 'manager' }, USER_RESOURCE_TYPE)
    assert.equal(resolved?.isExtension, true)
    assert.deepEqual(resolved?.canonical, { uri: ENTERPRISE_USER_SCHEMA_URN, attr: 'manager' })
    assert.equal(
      resolveAttributePath({ attr: 'manager' }, USER_RESOURCE_TYPE, { requireExtensionUri: true }),
      undefined,
    )
  })

  it('returns undefined for unknown attributes, sub-attributes and URNs', () => {
    assert.equal(resolveAttributePath({ attr: 'nope' }, USER_RESOURCE_TYPE), undefined)
    assert.equal(resolveAttributePath({ attr: 'name', sub: 'nope' }, USER_RESOURCE_TYPE), undefined)
    assert.equal(
      resolveAttributePath({ attr: 'userName', sub: 'x' }, USER_RESOURCE_TYPE),
      undefined,
    )
    assert.equal(
      resolveAttributePath({ uri: 'urn:example:2.0:User', attr: 'userName' }, USER_RESOURCE_TYPE),
      undefined,
    )
    assert.equal(resolveAttributePath({ attr: 'userName' }, GROUP_RESOURCE_TYPE), undefined)
    assert.equal(
      resolveAttributePath(
        { uri: ENTERPRISE_USER_SCHEMA_URN, attr: 'userName' },
        USER_RESOURCE_TYPE,
      ),
      undefined,
    )
    assert.equal(
      resolveAttributePath(
        { uri: ENTERPRISE_USER_SCHEMA_URN, attr: 'manager' },
        GROUP_RESOURCE_TYPE,
      ),
      undefined,
    )
  })
})

describe('resolveSubAttribute', () => {
  it('finds a sub-attribute of a complex attribute case-insensitively', () => {
    const emails = resolveAttributePath({ attr: 'emails' }, USER_RESOURCE_TYPE)
    assert.ok(emails)
    assert.equal(resolveSubAttribute(emails.definition, 'TYPE')?.name, 'type')
    assert.equal(resolveSubAttribute(emails.definition, 'nope'), undefined)
  })

  it('returns undefined for a simple attribute', () => {
    const userName = resolveAttributePath({ attr: 'userName' }, USER_RESOURCE_TYPE)
    assert.ok(userName)
    assert.equal(resolveSubAttribute(userName.definition, 'value'), undefined)
  })
})

describe('findSchema', () => {
  it('finds core and extension schemas case-insensitively', () => {
    assert.equal(findSchema(USER_RESOURCE_TYPE, SCIM_USER_SCHEMA_URN)?.isExtension, false)
    assert.equal(
      findSchema(USER_RESOURCE_TYPE, ENTERPRISE_USER_SCHEMA_URN.toLowerCase())?.isExtension,
      true,
    )
    assert.equal(findSchema(USER_RESOURCE_TYPE, GROUP_EXTENSION_SCHEMA_URN), undefined)
  })
})

describe('splitUrnPath', () => {
  it('splits an extension path at the last colon, not at the dots of 2.0', () => {
    assert.deepEqual(splitUrnPath(`${ENTERPRISE_USER_SCHEMA_URN}:manager.value`), {
      uri: ENTERPRISE_USER_SCHEMA_URN,
      attr: 'manager',
      sub: 'value',
    })
    assert.deepEqual(splitUrnPath(`${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber`), {
      uri: ENTERPRISE_USER_SCHEMA_URN,
      attr: 'employeeNumber',
    })
  })

  it('splits paths without a URN', () => {
    assert.deepEqual(splitUrnPath('userName'), { attr: 'userName' })
    assert.deepEqual(splitUrnPath('name.givenName'), { attr: 'name', sub: 'givenName' })
  })

  it('returns undefined for empty parts or too many dots', () => {
    for (const raw of ['', '.x', 'name.', 'a.b.c', ':userName', `${SCIM_USER_SCHEMA_URN}:`]) {
      assert.equal(splitUrnPath(raw), undefined, raw)
    }
  })
})
