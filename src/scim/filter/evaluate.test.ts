// Tests of the reference filter evaluator (RFC 7644 §3.4.2.2 semantics).

import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ScimError } from '../errors.ts'
import {
  ENTERPRISE_USER_SCHEMA_URN,
  GROUP_EXTENSION_SCHEMA_URN,
  GROUP_RESOURCE_TYPE,
  USER_RESOURCE_TYPE,
} from '../schemas/index.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import {
  matchesFilter,
  matchesValueFilter,
  validateFilter,
  validateValueFilter,
} from './evaluate.ts'
import { parseFilter } from './parser.ts'

// RFC 7643 §8.2 (full user representation), trimmed, plus the enterprise extension of §8.3.
const BJENSEN: Record<string, unknown> = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA_URN],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-Ext',
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen, III', familyName: "O'Malley", givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  roles: [{ value: 'Admin', primary: 'True' }],
  x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx' }],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"a330bc54f0671c9"',
    location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
  },
  [ENTERPRISE_USER_SCHEMA_URN]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
}

const GROUP: Record<string, unknown> = {
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  displayName: 'Tour Guides',
  members: [{ value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen' }],
  [GROUP_EXTENSION_SCHEMA_URN]: { description: 'People who guide tours' },
}

const matches = (text: string, resource: Record<string, unknown> = BJENSEN): boolean =>
  matchesFilter(parseFilter(text), resource, USER_RESOURCE_TYPE)

function assertInvalidFilter(text: string, detail: RegExp): void {
  assert.throws(
    () => matches(text),
    (error: unknown) => {
      assert.ok(error instanceof ScimError)
      assert.equal(error.scimType, 'invalidFilter')
      assert.match(error.detail, detail)
      return true
    },
  )
}

describe('matchesFilter', () => {
  describe('the examples of RFC 7644 §3.4.2.2 against bjensen', () => {
    const cases: readonly [string, boolean][] = [
      ['userName eq "bjensen@example.com"', true],
      ['userName eq "bjensen"', false],
      ['name.familyName co "O\'Malley"', true],
      ['urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O\'Malley"', true],
      ['userName sw "J"', false],
      ['userName sw "B"', true],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b"', true],
      ['title pr', true],
      ['nickName pr', false],
      ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
      ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
      ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
      ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
      ['title pr and userType eq "Employee"', true],
      ['title pr or userType eq "Intern"', true],
      [`schemas eq "${ENTERPRISE_USER_SCHEMA_URN}"`, true],
      [
        'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
        true,
      ],
      [
        'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
        false,
      ],
      ['userType eq "Employee" and (emails.type eq "work")', true],
      ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
      [
        'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        true,
      ],
      [
        'emails[type eq "home" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
        false,
      ],
    ]
    for (const [text, expected] of cases) {
      it(`${expected ? 'matches' : 'does not match'} ${text}`, () => {
        assert.equal(matches(text), expected)
      })
    }
  })

  describe('case rules (interop profile §5.2)', () => {
    it('compares userName case-insensitively', () => {
      assert.equal(matches('userName eq "BJensen@Example.COM"'), true)
      assert.equal(matches('USERNAME EQ "bjensen@example.com"'), true)
      assert.equal(matches('userName co "EXAMPLE"'), true)
      assert.equal(matches('userName ew ".COM"'), true)
    })

    it('compares externalId and id case-exactly', () => {
      assert.equal(matches('externalId eq "Bjensen-Ext"'), true)
      assert.equal(matches('externalId eq "bjensen-ext"'), false)
      assert.equal(matches('id eq "2819c223-7f76-453a-919d-413861904646"'), true)
      assert.equal(matches('id eq "2819C223-7F76-453A-919D-413861904646"'), false)
      assert.equal(matches('ExternalID eq "Bjensen-Ext"'), true)
    })

    it('compares group displayName case-insensitively', () => {
      const filter = parseFilter('displayName eq "tour guides"')
      assert.equal(matchesFilter(filter, GROUP, GROUP_RESOURCE_TYPE), true)
    })

    it('orders case-insensitive strings case-insensitively', () => {
      assert.equal(matches('title gt "TOUR"'), true)
      assert.equal(matches('title lt "tour guide"'), false)
      assert.equal(matches('title le "TOUR GUIDE"'), true)
    })
  })

  describe('multi-valued and complex attributes', () => {
    it('matches when any element matches', () => {
      assert.equal(matches('emails.value eq "babs@jensen.org"'), true)
      assert.equal(matches('emails.type eq "other"'), false)
    })

    it('compares the value sub-attribute of a complex attribute named alone', () => {
      assert.equal(matches('emails eq "BABS@jensen.org"'), true)
      assert.equal(
        matches(`${ENTERPRISE_USER_SCHEMA_URN}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`),
        true,
      )
    })

    it('evaluates a value filter against each element separately', () => {
      assert.equal(matches('emails[type eq "home" and value co "example.com"]'), false)
      assert.equal(matches('emails[type eq "home" and value co "jensen"]'), true)
      assert.equal(matches('emails[not (type eq "work")]'), true)
    })

    it('matches Entra\'s emails[type eq "work"].value eq "x" form', () => {
      assert.equal(matches('emails[type eq "work"].value eq "bjensen@example.com"'), true)
      assert.equal(matches('emails[type eq "work"].value eq "babs@jensen.org"'), false)
    })

    it('reads extension attributes under their URN, qualified or not', () => {
      assert.equal(matches(`${ENTERPRISE_USER_SCHEMA_URN}:employeeNumber eq "701984"`), true)
      assert.equal(matches(`${ENTERPRISE_USER_SCHEMA_URN}:manager.displayName sw "john"`), true)
      assert.equal(matches('department eq "tour operations"'), true)
      assert.equal(
        matches(
          'id eq "2819c223-7f76-453a-919d-413861904646" and manager eq "26118915-6090-4610-87e4-49d8ca9f808d"',
        ),
        true,
      )
    })

    it('reads the Group description extension', () => {
      const filter = parseFilter(`${GROUP_EXTENSION_SCHEMA_URN}:description co "GUIDE"`)
      assert.equal(matchesFilter(filter, GROUP, GROUP_RESOURCE_TYPE), true)
      const members = parseFilter('members[value eq "2819c223-7f76-453a-919d-413861904646"]')
      assert.equal(matchesFilter(members, GROUP, GROUP_RESOURCE_TYPE), true)
    })
  })

  describe('presence, absence and null', () => {
    it('treats null, empty strings, empty arrays and empty objects as absent', () => {
      const sparse = {
        userName: 'x',
        title: null,
        nickName: '',
        emails: [],
        name: { givenName: '' },
        phoneNumbers: [{ value: '' }],
      }
      assert.equal(matches('title pr', sparse), false)
      assert.equal(matches('nickName pr', sparse), false)
      assert.equal(matches('emails pr', sparse), false)
      assert.equal(matches('name pr', sparse), false)
      assert.equal(matches('phoneNumbers pr', sparse), false)
      assert.equal(matches('name pr'), true)
      assert.equal(matches('emails pr'), true)
      assert.equal(matches('emails.type pr'), true)
    })

    it('makes ne true on a missing attribute and false when any value equals', () => {
      assert.equal(matches('nickName ne "Babs"'), true)
      assert.equal(matches('emails.type ne "work"'), false)
      assert.equal(matches('emails.type ne "other"'), true)
    })

    it('reads eq null as absent and ne null as present', () => {
      assert.equal(matches('nickName eq null'), true)
      assert.equal(matches('title eq null'), false)
      assert.equal(matches('title ne null'), true)
    })

    it('does not match comparisons on a missing attribute', () => {
      assert.equal(matches('nickName eq "Babs"'), false)
      assert.equal(matches('nickName co ""'), false)
    })
  })

  describe('types', () => {
    it('compares booleans with true/false and Entra\'s "True"/"False" strings', () => {
      assert.equal(matches('active eq true'), true)
      assert.equal(matches('active eq false'), false)
      assert.equal(matches('active eq "True"'), true)
      assert.equal(matches('active ne "FALSE"'), true)
      assert.equal(matches('roles[primary eq true]'), true)
    })

    it('compares dateTimes as instants, whatever the offset', () => {
      assert.equal(matches('meta.created eq "2010-01-23T05:56:22+01:00"'), true)
      assert.equal(matches('meta.created gt "2010-01-23T04:56:21.999Z"'), true)
      assert.equal(matches('meta.created lt "2010-01-24"'), true)
      assert.equal(matches('META.LASTMODIFIED GT "2011-05-13t04:42:33z"'), true)
    })

    it('compares numbers numerically', () => {
      const resourceType = {
        ...USER_RESOURCE_TYPE,
        schema: {
          ...USER_RESOURCE_TYPE.schema,
          attributes: [
            ...USER_RESOURCE_TYPE.schema.attributes,
            {
              name: 'level',
              type: 'integer',
              multiValued: false,
              description: 'test',
              required: false,
              caseExact: false,
              mutability: 'readWrite',
              returned: 'default',
              uniqueness: 'none',
            } satisfies AttributeDefinition,
          ],
        },
      }
      const check = (text: string): boolean =>
        matchesFilter(parseFilter(text), { level: 10 }, resourceType)
      assert.equal(check('level gt 9.5'), true)
      assert.equal(check('level le 1e1'), true)
      assert.equal(check('level lt -1'), false)
      assert.equal(check('level ne 10'), false)
      assert.throws(() => check('level co 1'), /is a number/)
      assert.throws(() => check('level eq "10"'), /is a number/)
    })
  })

  describe('invalid filters', () => {
    const cases: readonly [string, RegExp][] = [
      ['nope eq "x"', /unknown attribute "nope" in filter: User resources have no such attribute/],
      ['name.nope eq "x"', /unknown attribute "name.nope"/],
      [
        'urn:example:ext:2.0:User:employeeNumber eq "1"',
        /unknown attribute "urn:example:ext:2.0:User:employeeNumber"/,
      ],
      ['emails[nope eq "x"]', /unknown attribute "nope" in the value filter of "emails"/],
      ['userName[value eq "x"]', /a value filter applies to a complex attribute/],
      ['active gt true', /active is a boolean: use eq, ne or pr/],
      ['active co "t"', /active is a boolean/],
      ['active eq "yes"', /compare it with true or false/],
      ['meta.created gt "yesterday"', /is a dateTime/],
      ['meta.created sw "2010"', /is a dateTime: use eq, ne, gt/],
      ['userName eq 1', /userName is a string: compare it with a "quoted string"/],
      ['userName eq true', /is a string/],
      ['userName gt null', /only eq and ne compare with null/],
      ['name eq "Barbara"', /name is complex: filter on one of its sub-attributes/],
      ['x509Certificates gt "M"', /binary: it has no order/],
      ['password eq "secret"', /"password" cannot be used in a filter/],
    ]
    for (const [text, detail] of cases) {
      it(`rejects ${text} with invalidFilter`, () => {
        assertInvalidFilter(text, detail)
      })
    }

    it('rejects an unknown attribute even when another branch decides the result', () => {
      assertInvalidFilter('userName pr or nope pr', /unknown attribute "nope"/)
    })

    it('rejects a Group filter on a User attribute', () => {
      assert.throws(
        () => matchesFilter(parseFilter('userName eq "x"'), GROUP, GROUP_RESOURCE_TYPE),
        /unknown attribute "userName" in filter: Group resources/,
      )
    })
  })
})

describe('validateFilter', () => {
  it('accepts valid filters without a resource', () => {
    validateFilter(parseFilter('userName eq "x" and emails[type eq "work"]'), USER_RESOURCE_TYPE)
    validateFilter(parseFilter('displayName eq "x" and members.value eq "y"'), GROUP_RESOURCE_TYPE)
  })

  it('rejects unknown attributes and invalid operator/type combinations', () => {
    assert.throws(
      () => validateFilter(parseFilter('emails[nope pr]'), USER_RESOURCE_TYPE),
      (error: unknown) => error instanceof ScimError && error.scimType === 'invalidFilter',
    )
    assert.throws(
      () => validateFilter(parseFilter('active lt false'), USER_RESOURCE_TYPE),
      /boolean/,
    )
  })
})

describe('matchesValueFilter', () => {
  const emails = USER_RESOURCE_TYPE.schema.attributes.find((a) => a.name === 'emails')
  assert.ok(emails)

  it('matches one element against a relative value filter', () => {
    const filter = parseFilter('type eq "WORK" and value ew "@example.com"')
    assert.equal(matchesValueFilter(filter, { type: 'work', value: 'a@example.com' }, emails), true)
    const home = { type: 'home', value: 'a@example.com' }
    assert.equal(matchesValueFilter(filter, home, emails), false)
  })

  it("reads Entra's string booleans on primary", () => {
    const filter = parseFilter('primary eq "True"')
    assert.equal(matchesValueFilter(filter, { primary: true }, emails), true)
    assert.equal(matchesValueFilter(filter, { primary: 'true' }, emails), true)
    assert.equal(matchesValueFilter(filter, {}, emails), false)
  })

  it('rejects unknown sub-attributes whatever the element holds', () => {
    assert.throws(
      () => matchesValueFilter(parseFilter('nope eq "x"'), {}, emails),
      /unknown attribute "nope" in the value filter of "emails": expected one of its sub-attributes \(value, display, type, primary\)/,
    )
    assert.throws(() => validateValueFilter(parseFilter('nope pr'), emails), /unknown attribute/)
  })
})
