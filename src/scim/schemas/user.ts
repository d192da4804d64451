// The core User schema of RFC 7643 §4.1, as published in RFC 7643 §8.7.1.
// Common attributes (id, externalId, meta) live in common.ts (RFC 7643 §3.1).

import { defineAttribute, defineMultiValued } from './define.ts'
import type { AttributeDefinition, SchemaDefinition } from './types.ts'

export const SCIM_USER_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:User'

const string = (name: string, description: string): AttributeDefinition =>
  defineAttribute(name, 'string', description)

const NAME = defineAttribute(
  'name',
  'complex',
  `The components of the user's real name. Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both.`,
  {
    subAttributes: [
      string(
        'formatted',
        `The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III').`,
      ),
      string(
        'familyName',
        `The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III').`,
      ),
      string(
        'givenName',
        `The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III').`,
      ),
      string(
        'middleName',
        `The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III').`,
      ),
      string(
        'honorificPrefix',
        `The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III').`,
      ),
      string(
        'honorificSuffix',
        `The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III').`,
      ),
    ],
  },
)

const EMAILS = defineMultiValued(
  'emails',
  `Email addresses for the user. The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.`,
  {
    valueDescription: `Email addresses for the user. The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'.`,
    typeDescription: `A label indicating the attribute's function, e.g., 'work' or 'home'.`,
    canonicalTypes: ['work', 'home', 'other'],
  },
)

const PHONE_NUMBERS = defineMultiValued(
  'phoneNumbers',
  `Phone numbers for the User. The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.`,
  {
    valueDescription: 'Phone number of the User.',
    typeDescription: `A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.`,
    canonicalTypes: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
  },
)

const IMS = defineMultiValued('ims', 'Instant messaging addresses for the User.', {
  valueDescription: 'Instant messaging address for the User.',
  typeDescription: `A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.`,
  canonicalTypes: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
})

const PHOTOS = defineMultiValued('photos', 'URLs of photos of the User.', {
  valueDescription: 'URL of a photo of the User.',
  valueType: 'reference',
  valueOptions: { referenceTypes: ['external'] },
  typeDescription: `A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.`,
  canonicalTypes: ['photo', 'thumbnail'],
})

const ADDRESSES = defineAttribute(
  'addresses',
  'complex',
  `A physical mailing address for this User. Canonical type values of 'work', 'home', and 'other'. This attribute is a complex type with the following sub-attributes.`,
  {
    multiValued: true,
    subAttributes: [
      string(
        'formatted',
        'The full mailing address, formatted for display or use with a mailing label. This attribute MAY contain newlines.',
      ),
      string(
        'streetAddress',
        'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information. This attribute MAY contain newlines.',
      ),
      string('locality', 'The city or locality component.'),
      string('region', 'The state or region component.'),
      string('postalCode', 'The zip code or postal code component.'),
      string('country', 'The country name component.'),
      defineAttribute(
        'type',
        'string',
        `A label indicating the attribute's function, e.g., 'work' or 'home'.`,
        { canonicalValues: ['work', 'home', 'other'] },
      ),
      defineAttribute(
        'primary',
        'boolean',
        `A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address or primary email address. The primary attribute value 'true' MUST appear no more than once.`,
      ),
    ],
  },
)

const GROUPS = defineAttribute(
  'groups',
  'complex',
  `A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.`,
  {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      // A group id: case-exact like every id (interop profile §5.2).
      defineAttribute('value', 'string', `The identifier of the User's group.`, {
        mutability: 'readOnly',
        caseExact: true,
      }),
      defineAttribute(
        '$ref',
        'reference',
        `The URI of the corresponding 'Group' resource to which the user belongs.`,
        { mutability: 'readOnly', referenceTypes: ['User', 'Group'] },
      ),
      defineAttribute(
        'display',
        'string',
        'A human-readable name, primarily used for display purposes.',
        { mutability: 'readOnly' },
      ),
      defineAttribute(
        'type',
        'string',
        `A label indicating the attribute's function, e.g., 'direct' or 'indirect'.`,
        { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] },
      ),
    ],
  },
)

const ENTITLEMENTS = defineMultiValued(
  'entitlements',
  'A list of entitlements for the User that represent a thing the User has.',
  {
    valueDescription: 'The value of an entitlement.',
    typeDescription: `A label indicating the attribute's function.`,
  },
)

const ROLES = defineMultiValued(
  'roles',
  `A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.`,
  {
    valueDescription: 'The value of a role.',
    typeDescription: `A label indicating the attribute's function.`,
  },
)

const X509_CERTIFICATES = defineMultiValued(
  'x509Certificates',
  'A list of certificates issued to the User.',
  {
    valueDescription: 'The value of an X.509 certificate.',
    valueType: 'binary',
    typeDescription: `A label indicating the attribute's function.`,
  },
)

/** The core User schema (RFC 7643 §8.7.1), attribute for attribute. */
export const SCIM_USER_SCHEMA: SchemaDefinition = {
  id: SCIM_USER_SCHEMA_URN,
  name: 'User',
  description: 'User Account',
  attributes: [
    defineAttribute(
      'userName',
      'string',
      `Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value. This identifier MUST be unique across the service provider's entire set of Users.`,
      { required: true, uniqueness: 'server' },
    ),
    NAME,
    string(
      'displayName',
      'The name of the User, suitable for display to end-users. The name SHOULD be the full name of the User being described, if known.',
    ),
    string(
      'nickName',
      `The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'. This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge').`,
    ),
    defineAttribute(
      'profileUrl',
      'reference',
      `A fully qualified URL pointing to a page representing the User's online profile.`,
      { referenceTypes: ['external'] },
    ),
    string('title', `The user's title, such as "Vice President".`),
    string(
      'userType',
      `Used to identify the relationship between the organization and the user. Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used.`,
    ),
    string(
      'preferredLanguage',
      `Indicates the User's preferred written or spoken language. Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US.`,
    ),
    string(
      'locale',
      `Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.`,
    ),
    string(
      'timezone',
      `The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'.`,
    ),
    defineAttribute(
      'active',
      'boolean',
      `A Boolean value indicating the User's administrative status.`,
    ),
    defineAttribute(
      'password',
      'string',
      `The User's cleartext password. This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.`,
      { mutability: 'writeOnly', returned: 'never' },
    ),
    EMAILS,
    PHONE_NUMBERS,
    IMS,
    PHOTOS,
    ADDRESSES,
    GROUPS,
    ENTITLEMENTS,
    ROLES,
    X509_CERTIFICATES,
  ],
}
