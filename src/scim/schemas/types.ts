// Attribute and schema definitions of RFC 7643 §7 ("Schema Definition"), as data.
// /Schemas is rendered from these; validation, filters and PATCH all resolve paths against them.

export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary'

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
export type Returned = 'always' | 'never' | 'default' | 'request'
export type Uniqueness = 'none' | 'server' | 'global'

export interface AttributeDefinition {
  readonly name: string
  readonly type: AttributeType
  readonly multiValued: boolean
  readonly description: string
  readonly required: boolean
  readonly caseExact: boolean
  readonly mutability: Mutability
  readonly returned: Returned
  readonly uniqueness: Uniqueness
  readonly canonicalValues?: readonly string[]
  readonly referenceTypes?: readonly string[]
  readonly subAttributes?: readonly AttributeDefinition[]
}

export interface SchemaDefinition {
  /** The schema URN, e.g. urn:ietf:params:scim:schemas:core:2.0:User */
  readonly id: string
  readonly name: string
  readonly description: string
  readonly attributes: readonly AttributeDefinition[]
}

export interface ResourceTypeDefinition {
  /** Equal to `name` (interop profile §5.1). */
  readonly id: 'User' | 'Group'
  readonly name: 'User' | 'Group'
  readonly endpoint: '/Users' | '/Groups'
  readonly description: string
  readonly schema: SchemaDefinition
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[]
}
