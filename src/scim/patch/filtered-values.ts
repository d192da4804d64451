// add, replace and remove on the values a filter selects (RFC 7644 §3.5.2: `emails[type eq
// "work"]`, `emails[type eq "work"].value`), creating the value an `eq` filter describes (Entra).

import { ScimError } from '../errors.ts'
import type { Filter } from '../filter/ast.ts'
import { valueFilterPredicate } from '../filter/evaluate.ts'
import { coerceAttributeValue } from '../resources/coerce-value.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import { isDataless } from './document.ts'
import type { Json } from './document.ts'
import { chargeScan, commitValues, valueIndexOf } from './patch-state.ts'
import type { State } from './patch-state.ts'
import { elementForUnmatchedFilter } from './quirks.ts'
import type { PatchOpName } from './quirks.ts'
import type { AttributeTarget } from './resolve-target.ts'
import {
  clearPrimariesExcept,
  filterCandidates,
  pushValue,
  removeValue,
  replaceValue,
} from './value-index.ts'

/** `emails[type eq "work"]` and `emails[type eq "work"].value` (RFC 7644 §3.5.2). */
export function applyToFilteredValues(
  state: State,
  op: PatchOpName,
  target: AttributeTarget,
  filter: Filter,
  value: unknown,
): void {
  const { resolved, label, filterSub } = target
  const definition = resolved.definition
  const name = definition.name
  const elementDefinition: AttributeDefinition = { ...definition, multiValued: false }
  // A whole element must be an object; coerceAttributeValue refuses anything else.
  const coerced =
    op === 'remove'
      ? undefined
      : coerceAttributeValue(filterSub ?? elementDefinition, value, label, state.quirks)
  const index = valueIndexOf(state, resolved, name)
  const matches = valueFilterPredicate(filter, definition)
  const candidates = filterCandidates(index, filter, definition)
  if (candidates === undefined) chargeScan(state, index.values.length, name)
  const matched = (candidates ?? index.values).filter(matches)

  if (op === 'remove') {
    // RFC 7644 §3.5.2.2: remove every matching value (or its sub-attribute); no match, no change.
    for (const element of matched) {
      if (filterSub === undefined) {
        removeValue(index, element)
        continue
      }
      const next = { ...element }
      delete next[filterSub.name]
      if (isDataless(next)) removeValue(index, element)
      else replaceValue(index, element, next)
    }
    commitValues(state, resolved, name, index)
    return
  }

  const touched = new Set<Json>()
  for (const element of matched) {
    const next = updateElement(element, op, coerced, filterSub)
    if (next === undefined) {
      removeValue(index, element)
      continue
    }
    if (next !== element) replaceValue(index, element, next)
    touched.add(next)
  }
  if (matched.length === 0) {
    if (coerced === undefined) return
    const base = elementForUnmatchedFilter(filter, definition, filterSub)
    if (base === undefined) {
      throw ScimError.noTarget(
        `"${label}": no value of "${name}" matches the filter (RFC 7644 §3.5.2.3). Only a ` +
          'filter of "eq" comparisons joined by "and" (e.g. type eq "work") creates a missing ' +
          'value.',
      )
    }
    const raw = filterSub === undefined ? { ...base, ...(coerced as Json) } : base
    const element = coerceAttributeValue(elementDefinition, raw, label, state.quirks) as Json
    const created = filterSub === undefined ? element : { ...element, [filterSub.name]: coerced }
    pushValue(index, created)
    touched.add(created)
  }
  clearPrimariesExcept(index, touched)
  commitValues(state, resolved, name, index)
}

function updateElement(
  element: Json,
  op: PatchOpName,
  coerced: unknown,
  filterSub: AttributeDefinition | undefined,
): Json | undefined {
  if (filterSub !== undefined) {
    const next = { ...element }
    if (coerced === undefined) delete next[filterSub.name]
    else next[filterSub.name] = coerced
    return isDataless(next) ? undefined : next
  }
  if (coerced === undefined) return op === 'replace' ? undefined : element
  // replace swaps the matching value (RFC 7644 §3.5.2.3); add merges into it.
  return op === 'replace' ? (coerced as Json) : { ...element, ...(coerced as Json) }
}
