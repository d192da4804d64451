// Builders for the attribute definitions of RFC 7643 §7, filled with the defaults of §2.2
// (singular, optional, not case-exact, readWrite, returned by default, no uniqueness).

import type { AttributeDefinition, AttributeType } from './types.ts'

/** Every characteristic of an attribute except its name, type and description. */
export type AttributeOptions = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>

/**
 * Builds an attribute definition with the defaults of RFC 7643 §2.2 overridden by `options`.
 * Keys keep the order of RFC 7643 §8.7.1, so /Schemas renders them as the RFC prints them.
 */
export function defineAttribute(
  name: string,
  type: AttributeType,
  description: string,
  options: AttributeOptions = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  }
}

/**
 * Builds the usual multi-valued complex attribute of RFC 7643 §2.4: `value`, `display`, `type`
 * and `primary` sub-attributes, with the `type` canonical values given (none when empty).
 */
export function defineMultiValued(
  name: string,
  description: string,
  spec: {
    readonly valueDescription: string
    readonly valueType?: AttributeType
    readonly valueOptions?: AttributeOptions
    readonly typeDescription: string
    readonly canonicalTypes?: readonly string[]
  },
): AttributeDefinition {
  const typeOptions: AttributeOptions =
    spec.canonicalTypes === undefined || spec.canonicalTypes.length === 0
      ? {}
      : { canonicalValues: spec.canonicalTypes }
  return defineAttribute(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      defineAttribute(
        'value',
        spec.valueType ?? 'string',
        spec.valueDescription,
        spec.valueOptions ?? {},
      ),
      defineAttribute(
        'display',
        'string',
        'A human-readable name, primarily used for display purposes.',
      ),
      defineAttribute('type', 'string', spec.typeDescription, typeOptions),
      defineAttribute(
        'primary',
        'boolean',
        `A Boolean value indicating the 'primary' or preferred attribute value for this attribute. The primary attribute value 'true' MUST appear no more than once.`,
      ),
    ],
  })
}
