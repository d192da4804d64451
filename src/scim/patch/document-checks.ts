// Checks of the whole document after a PATCH (RFC 7644 §3.5.2): immutable attributes kept
// (RFC 7643 §2.2), required attributes not removed.

import { ScimError } from '../errors.ts'
import { isPlainObject } from '../resources/quirks.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas/types.ts'
import { deepEqual } from './document.ts'
import type { Json } from './document.ts'

/** RFC 7643 §2.2 immutable: may be set once, never changed afterwards. */
export function assertImmutableKept(
  before: Readonly<Json>,
  after: Readonly<Json>,
  resourceType: ResourceTypeDefinition,
): void {
  for (const { container, definition, label } of attributeSlots(resourceType)) {
    const old = container(before)?.[definition.name]
    const now = container(after)?.[definition.name]
    if (definition.mutability === 'immutable' && old !== undefined && !deepEqual(old, now)) {
      throw ScimError.mutability(
        `"${label}" is immutable (RFC 7643 §2.2): it cannot be changed once set.`,
      )
    }
    if (definition.multiValued || !isPlainObject(old)) continue
    for (const sub of definition.subAttributes ?? []) {
      const oldSub = old[sub.name]
      const nowSub = isPlainObject(now) ? now[sub.name] : undefined
      if (sub.mutability === 'immutable' && oldSub !== undefined && !deepEqual(oldSub, nowSub)) {
        throw ScimError.mutability(
          `"${label}.${sub.name}" is immutable (RFC 7643 §2.2): it cannot be changed once set.`,
        )
      }
    }
  }
}

/**
 * RFC 7644 §3.5.2: an attribute that "is removed or becomes unassigned and is defined as a
 * required attribute" gives mutability (userName, Group displayName).
 */
export function assertRequiredKept(
  before: Readonly<Json>,
  after: Readonly<Json>,
  resourceType: ResourceTypeDefinition,
): void {
  for (const { container, definition, label } of attributeSlots(resourceType)) {
    if (!definition.required || definition.mutability === 'readOnly') continue
    const old = container(before)?.[definition.name]
    const now = container(after)?.[definition.name]
    if (isAssigned(old) && !isAssigned(now)) {
      throw ScimError.mutability(
        `"${label}" is required (RFC 7643 §2.2) and cannot be removed or emptied ` +
          '(RFC 7644 §3.5.2); replace it with a new value instead.',
      )
    }
  }
}

interface AttributeSlot {
  readonly container: (doc: Readonly<Json>) => Readonly<Json> | undefined
  readonly definition: AttributeDefinition
  readonly label: string
}

function attributeSlots(resourceType: ResourceTypeDefinition): AttributeSlot[] {
  const core = resourceType.schema.attributes.map((definition) => ({
    container: (doc: Readonly<Json>) => doc,
    definition,
    label: definition.name,
  }))
  const extensions = resourceType.extensions.flatMap(({ schema }) =>
    schema.attributes.map((definition) => ({
      container: (doc: Readonly<Json>) => {
        const value = doc[schema.id]
        return isPlainObject(value) ? value : undefined
      },
      definition,
      label: `${schema.id}:${definition.name}`,
    })),
  )
  return [...core, ...extensions]
}

function isAssigned(value: unknown): boolean {
  if (value === undefined || value === null) return false
  if (typeof value === 'string') return value.trim() !== ''
  if (Array.isArray(value)) return value.length > 0
  return true
}
