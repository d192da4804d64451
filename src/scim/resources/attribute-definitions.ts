// Lookups over attribute definitions (RFC 7643 §2.1: names are case-insensitive) and the few
// attributes the normaliser, coercion and member parsing treat specially.

import type { AttributeDefinition } from '../schemas/types.ts'

/** The definition named `name`, matched case-insensitively (RFC 7643 §2.1). */
export function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const lower = name.toLowerCase()
  return attributes.find((attribute) => attribute.name.toLowerCase() === lower)
}

/** The enterprise `manager` (RFC 7643 §4.3): a singular complex reference to another User. */
export function isManagerDefinition(definition: AttributeDefinition): boolean {
  return definition.name === 'manager' && definition.type === 'complex' && !definition.multiValued
}

/** Group `members` (RFC 7643 §4.2). */
export function isMembersDefinition(definition: AttributeDefinition): boolean {
  return definition.name === 'members' && definition.type === 'complex' && definition.multiValued
}

/** User `password` (RFC 7643 §4.1.1): writeOnly, returned apart, never stored in the document. */
export function isPasswordDefinition(definition: AttributeDefinition): boolean {
  return definition.name === 'password' && definition.mutability === 'writeOnly'
}
