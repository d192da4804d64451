// Applies one PATCH operation (RFC 7644 §3.5.2) to the state: path-less values (§3.5.2.1,
// §3.5.2.3), `schemas`, whole extensions and `password`; attribute values, filtered values and
// Group members go to their own modules.

import { ScimError } from '../errors.ts'
import { coerceAttributeValue } from '../resources/coerce-value.ts'
import { describeValue } from '../resources/describe-value.ts'
import { isPlainObject } from '../resources/quirks.ts'
import { findSchema, resolveAttributePath } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import { applyToAttribute, applyToSubAttribute } from './attribute-values.ts'
import { applyToFilteredValues } from './filtered-values.ts'
import { applyToMembers, isMembersAttribute } from './member-operations.ts'
import type { State } from './patch-state.ts'
import { expandPathlessValue, isIgnoredPathlessKey } from './quirks.ts'
import type { PatchOpName } from './quirks.ts'
import type { Operation } from './read-operations.ts'
import { resolveTarget, unknownAttribute } from './resolve-target.ts'
import type { AttributeTarget, Origin, Target } from './resolve-target.ts'

/**
 * Applies one operation to `state`: with a path, to the target it names; without one, to each key
 * of its value (refused in strict mode, interop profile §6.5.1.1).
 *
 * @throws ScimError as {@link applyPatch} does, without the `Operations[i]` prefix.
 */
export function applyOperation(state: State, operation: Operation): void {
  const { op } = operation
  if ((op === 'add' || op === 'replace') && !operation.hasValue) {
    const section = op === 'add' ? '3.5.2.1' : '3.5.2.3'
    throw ScimError.invalidSyntax(`"${op}" needs a "value" (RFC 7644 §${section}).`)
  }
  if (operation.path === undefined) {
    applyPathless(state, operation)
    return
  }
  const target = resolveTarget(operation.path, 'path', state)
  applyToTarget(state, op, target, operation.value, operation.hasValue, 'path')
}

function applyPathless(state: State, operation: Operation): void {
  if (state.quirks.strict) {
    throw ScimError.invalidSyntax(
      '"path" is required: strict interop-profile mode refuses operations without a path ' +
        '(interop profile §6.5.1.1). Send one operation per attribute path, e.g. ' +
        '{"op": "replace", "path": "name.givenName", "value": "…"}.',
    )
  }
  if (operation.op === 'remove') {
    throw ScimError.noTarget('"remove" needs a "path" naming what to remove (RFC 7644 §3.5.2.2).')
  }
  if (!isPlainObject(operation.value)) {
    throw ScimError.invalidSyntax(
      `Without "path", "value" must be an object of attributes to ${operation.op} ` +
        `(RFC 7644 §3.5.2), got ${describeValue(operation.value)}.`,
    )
  }
  for (const entry of expandPathlessValue(operation.value, state.resourceType)) {
    if (isIgnoredPathlessKey(entry.key, undefined)) continue
    const target = resolveTarget(entry.path, 'pathless', state)
    if (target.kind === 'schemas') continue
    if (target.kind === 'attribute') {
      const { resolved, filterSub } = target
      const leaf = filterSub ?? resolved.sub ?? resolved.definition
      if (isIgnoredPathlessKey(entry.key, resolved.definition)) continue
      if (isIgnoredPathlessKey(entry.key, leaf)) continue
    }
    applyToTarget(state, operation.op, target, entry.value, true, 'pathless')
  }
}

function applyToTarget(
  state: State,
  op: PatchOpName,
  target: Target,
  value: unknown,
  hasValue: boolean,
  origin: Origin,
): void {
  switch (target.kind) {
    case 'schemas':
      applyToSchemas(state, op, target.label, value)
      return
    case 'extension':
      applyToExtension(state, op, target, value, origin)
      return
    case 'attribute':
      break
  }
  const { resolved } = target
  const leaf = target.filterSub ?? resolved.sub ?? resolved.definition
  if (resolved.definition.mutability === 'readOnly' || leaf.mutability === 'readOnly') {
    throw ScimError.mutability(
      `"${target.label}" is read-only (RFC 7643 §2.2): the service provider manages it and it ` +
        'cannot be changed.',
    )
  }
  if (isMembersAttribute(state.resourceType, resolved)) {
    applyToMembers(state, op, target, value, hasValue)
    return
  }
  if (isPasswordAttribute(resolved)) {
    applyToPassword(state, op, target, value)
    return
  }
  if (target.filter !== undefined) {
    applyToFilteredValues(state, op, target, target.filter, value)
  } else if (resolved.sub !== undefined) {
    applyToSubAttribute(state, op, target, resolved.sub, value)
  } else {
    applyToAttribute(state, op, target, value, hasValue, origin)
  }
}

/**
 * `schemas` is computed from the attributes present (validateDocument), so a PATCH of it changes
 * nothing; the URNs must still be ones this resource type supports (interop profile §5.3).
 */
function applyToSchemas(state: State, op: PatchOpName, label: string, value: unknown): void {
  if (op === 'remove') return
  const urns = Array.isArray(value) ? value : [value]
  for (const urn of urns) {
    if (typeof urn !== 'string' || findSchema(state.resourceType, urn) === undefined) {
      throw ScimError.invalidSyntax(
        `"${label}": ${describeValue(urn)} is not a schema of ${state.resourceType.name} ` +
          '(see /Schemas).',
      )
    }
  }
}

/** A whole extension object (`path: "urn:…:enterprise:2.0:User"`), like a complex attribute. */
function applyToExtension(
  state: State,
  op: PatchOpName,
  target: Extract<Target, { kind: 'extension' }>,
  value: unknown,
  origin: Origin,
): void {
  const { schema } = target
  if (op === 'remove' || (op === 'replace' && (value === null || value === undefined))) {
    delete state.doc[schema.id]
    return
  }
  if (value === null || value === undefined) return
  if (!isPlainObject(value)) {
    throw ScimError.invalidValue(
      `"${target.label}" must be an object holding the extension's attributes, ` +
        `got ${describeValue(value)}.`,
    )
  }
  // Pathed replace overwrites the whole extension (interop profile §6.5.2.1); add merges.
  const overwrites = op === 'replace' && origin === 'path'
  if (overwrites) delete state.doc[schema.id]
  for (const [name, inner] of Object.entries(value)) {
    const label = `${schema.id}:${name}`
    const resolved = resolveAttributePath({ uri: schema.id, attr: name }, state.resourceType)
    if (resolved === undefined) throw unknownAttribute(label, 'pathless', state.resourceType)
    if (resolved.definition.mutability === 'readOnly') continue
    const target: Target = { kind: 'attribute', resolved, label }
    applyToTarget(state, overwrites ? 'add' : op, target, inner, true, origin)
  }
}

function applyToPassword(
  state: State,
  op: PatchOpName,
  target: AttributeTarget,
  value: unknown,
): void {
  const { resolved, label } = target
  if (op === 'remove' || resolved.sub !== undefined || target.filter !== undefined) {
    throw ScimError.mutability(`"${label}": a password can be replaced but not removed.`)
  }
  const coerced = coerceAttributeValue(resolved.definition, value, label, state.quirks)
  if (typeof coerced !== 'string' || coerced === '') {
    throw ScimError.invalidValue(`"${label}" must be a non-empty string.`)
  }
  state.password = coerced
}

function isPasswordAttribute(resolved: ResolvedAttribute): boolean {
  return !resolved.isExtension && resolved.definition.mutability === 'writeOnly'
}
