// add, replace and remove on a whole attribute or a sub-attribute (RFC 7644 §3.5.2.1–3.5.2.3):
// simple, complex (merge or overwrite) and multi-valued (append, swap, remove listed values).

import { coerceAttributeValue } from '../resources/coerce-value.ts'
import { isPlainObject } from '../resources/quirks.ts'
import { resolveSubAttribute } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import { deepEqual, deleteValue, isDataless, readArray, readObject, setValue } from './document.ts'
import type { Json } from './document.ts'
import { chargeScan, commitValues, valueIndexOf } from './patch-state.ts'
import type { State } from './patch-state.ts'
import { isAddOverwritingAttribute, listedRemovalValues } from './quirks.ts'
import type { PatchOpName } from './quirks.ts'
import { unknownAttribute } from './resolve-target.ts'
import type { AttributeTarget, Origin } from './resolve-target.ts'
import {
  clearPrimariesExcept,
  hasEqualValue,
  listedCandidates,
  pushValue,
  removeValue,
} from './value-index.ts'

/**
 * add, replace or remove on a whole attribute (no sub-attribute, no filter): simple values are set,
 * complex ones merged (add, path-less replace) or overwritten, multi-valued ones appended to (add)
 * or swapped (replace). remove unassigns it; with a value, on a multi-valued attribute, it removes
 * just those values (Entra quirk, quirks.ts).
 */
export function applyToAttribute(
  state: State,
  op: PatchOpName,
  target: AttributeTarget,
  value: unknown,
  hasValue: boolean,
  origin: Origin,
): void {
  const { resolved, label } = target
  const definition = resolved.definition
  const name = definition.name
  if (op === 'remove') {
    const listed = definition.multiValued && hasValue ? listedRemovalValues(value) : undefined
    if (listed === undefined) {
      deleteValue(state.doc, resolved, name)
      return
    }
    removeListedValues(state, target, listed)
    return
  }
  if (definition.multiValued) {
    const input = isPlainObject(value) ? [value] : value
    const coerced = coerceAttributeValue(definition, input, label, state.quirks) as
      Json[] | undefined
    if (op === 'replace') {
      setValue(state.doc, resolved, name, coerced)
      return
    }
    if (coerced === undefined) return
    addValues(state, resolved, name, coerced)
    return
  }
  if (definition.type !== 'complex') {
    const coerced = coerceAttributeValue(definition, value, label, state.quirks)
    setValue(state.doc, resolved, name, coerced)
    return
  }
  const overwrites =
    (op === 'replace' && origin === 'path') || isAddOverwritingAttribute(definition)
  if (overwrites || !isPlainObject(value)) {
    const coerced = coerceAttributeValue(definition, value, label, state.quirks)
    // add of nothing changes nothing; replace with nothing unassigns (RFC 7643 §2.5).
    if (coerced === undefined && op === 'add' && !isAddOverwritingAttribute(definition)) return
    setValue(state.doc, resolved, name, coerced)
    return
  }
  // add, and path-less replace, merge sub-attributes: "Sub-attributes that are not specified in
  // the value parameter are left unchanged" (RFC 7644 §3.5.2.3; interop profile §6.5.2.1 for add).
  const current = readObject(state.doc, resolved, name)
  const merged: Json = { ...current }
  for (const [key, raw] of Object.entries(value)) {
    const sub = resolveSubAttribute(definition, key)
    if (sub === undefined) throw unknownAttribute(`${label}.${key}`, 'pathless', state.resourceType)
    if (sub.mutability === 'readOnly') continue
    const coerced = coerceAttributeValue(sub, raw, `${label}.${sub.name}`, state.quirks)
    if (coerced === undefined) delete merged[sub.name]
    else merged[sub.name] = coerced
  }
  setValue(state.doc, resolved, name, coerceComplex(state, definition, merged, label))
}

/**
 * add to a multi-valued attribute (RFC 7644 §3.5.2.1): appends the values not already present
 * (structural equality) and, when one of them is primary, clears `primary` on the others.
 */
function addValues(state: State, resolved: ResolvedAttribute, name: string, coerced: Json[]): void {
  const index = valueIndexOf(state, resolved, name)
  const added = coerced.filter((item) => !hasEqualValue(index, item))
  for (const item of added) pushValue(index, item)
  clearPrimariesExcept(index, new Set(added))
  commitValues(state, resolved, name, index)
}

/** A singular complex value in canonical form; `undefined` when nothing is left of it. */
function coerceComplex(
  state: State,
  definition: AttributeDefinition,
  value: Json,
  label: string,
): unknown {
  return Object.keys(value).length === 0
    ? undefined
    : coerceAttributeValue(definition, value, label, state.quirks)
}

/** `name.familyName` (a singular complex attribute) or `emails.value` (every element). */
export function applyToSubAttribute(
  state: State,
  op: PatchOpName,
  target: AttributeTarget,
  sub: AttributeDefinition,
  value: unknown,
): void {
  const { resolved, label } = target
  const name = resolved.definition.name
  const coerced =
    op === 'remove' ? undefined : coerceAttributeValue(sub, value, label, state.quirks)
  if (!resolved.definition.multiValued) {
    const merged: Json = { ...readObject(state.doc, resolved, name) }
    if (coerced === undefined) delete merged[sub.name]
    else merged[sub.name] = coerced
    // Re-coerced whole, so an emptied manager (`manager.value` set to "") is unassigned (quirk).
    setValue(state.doc, resolved, name, coerceComplex(state, resolved.definition, merged, label))
    return
  }
  const existing = readArray(state.doc, resolved, name)
  chargeScan(state, existing.length, name)
  if (existing.length === 0) {
    if (coerced !== undefined) setValue(state.doc, resolved, name, [{ [sub.name]: coerced }])
    return
  }
  const touched = new Set<Json>()
  const values = existing.flatMap((element) => {
    const next = { ...element }
    if (coerced === undefined) delete next[sub.name]
    else next[sub.name] = coerced
    touched.add(next)
    return coerced === undefined && isDataless(next) ? [] : [next]
  })
  clearOtherPrimaries(values, touched)
  setValue(state.doc, resolved, name, values)
}

/** Entra's remove-with-value (quirks.ts): drop the listed values of a multi-valued attribute. */
function removeListedValues(state: State, target: AttributeTarget, listed: unknown[]): void {
  const { resolved, label } = target
  const definition = resolved.definition
  const name = definition.name
  if (listed.length === 0) return
  const coerced = (coerceAttributeValue(definition, listed, label, state.quirks) ?? []) as unknown[]
  const index = valueIndexOf(state, resolved, name)
  for (const item of coerced) {
    const candidates = listedCandidates(index, item, definition)
    if (candidates === undefined) chargeScan(state, index.values.length, name)
    const doomed = (candidates ?? index.values).filter((element) => isListedMatch(element, item))
    for (const element of doomed) removeValue(index, element)
  }
  commitValues(state, resolved, name, index)
}

/** A listed value matches an element when every sub-attribute it gives is equal. */
function isListedMatch(element: unknown, item: unknown): boolean {
  if (!isPlainObject(item) || !isPlainObject(element)) return deepEqual(element, item)
  return Object.entries(item).every(([key, value]) => deepEqual(element[key], value))
}

/**
 * RFC 7644 §3.5.2: setting `primary` to true on a value "SHALL cause the server to automatically
 * set primary to false for any other values in the array". Two touched primaries stay, and
 * validateDocument refuses them (RFC 7643 §2.4).
 */
function clearOtherPrimaries(values: Json[], touched: ReadonlySet<object>): void {
  const isNewPrimary = values.some((value) => touched.has(value) && value['primary'] === true)
  if (!isNewPrimary) return
  values.forEach((value, index) => {
    if (!touched.has(value) && value['primary'] === true) {
      values[index] = { ...value, primary: false }
    }
  })
}
