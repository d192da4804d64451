// The values of one multi-valued attribute while a PATCH works on them (RFC 7644 §3.5.2), with
// lookups that keep each operation's cost to the values it touches (issue #7): whether an equal
// value exists (add skips it, §3.5.2.1), which values a `[sub eq "text"]` filter can match, and
// which are primary. Without them every operation compares with every value, and a thousand
// operations over a few thousand emails block the event loop for seconds.

import type { Filter } from '../filter/ast.ts'
import { isPlainObject } from '../resources/quirks.ts'
import { resolveSubAttribute } from '../schemas/resolve.ts'
import type { AttributeDefinition } from '../schemas/types.ts'

type Json = Record<string, unknown>

/** A multi-valued attribute's values (in order) and their lookups, kept in step by the helpers. */
export interface ValueIndex {
  /** The values, in order; change them only through this module. */
  readonly values: Json[]
  /** How many values have each {@link valueKey}. */
  readonly keys: Map<string, number>
  /** The values with `primary: true`. */
  readonly primaries: Set<Json>
  /** By sub-attribute name, built on first use: which values hold which folded text. */
  readonly bySub: Map<string, SubIndex>
}

interface SubIndex {
  /** Lower-cased text → the values whose sub-attribute holds it (a superset for caseExact). */
  readonly byText: Map<string, Set<Json>>
  /** Values naming the sub-attribute in another case; always candidates. */
  readonly irregular: Set<Json>
}

/** Indexes `values`, which the index then owns: change them only through this module. */
export function buildValueIndex(values: Json[]): ValueIndex {
  const index: ValueIndex = { values, keys: new Map(), primaries: new Set(), bySub: new Map() }
  for (const value of values) track(index, value, 1)
  return index
}

/** Whether a value structurally equal to `value` is present (deepEqual of document.ts). */
export function hasEqualValue(index: ValueIndex, value: Json): boolean {
  return index.keys.has(valueKey(value))
}

export function pushValue(index: ValueIndex, value: Json): void {
  index.values.push(value)
  track(index, value, 1)
}

/** Puts `next` where `old` is; `old` must be one of the values. */
export function replaceValue(index: ValueIndex, old: Json, next: Json): void {
  const position = index.values.indexOf(old)
  if (position < 0) return
  track(index, old, -1)
  index.values[position] = next
  track(index, next, 1)
}

/** Removes `old`, one of the values, keeping the others in order. */
export function removeValue(index: ValueIndex, old: Json): void {
  const position = index.values.indexOf(old)
  if (position < 0) return
  track(index, old, -1)
  index.values.splice(position, 1)
}

/**
 * RFC 7644 §3.5.2: a value set to `primary: true` clears `primary` on the others. Each value
 * loses it at most once, so this stays linear over a whole request.
 */
export function clearPrimariesExcept(index: ValueIndex, touched: ReadonlySet<Json>): void {
  const isNewPrimary = [...touched].some((value) => value['primary'] === true)
  if (!isNewPrimary) return
  for (const value of [...index.primaries]) {
    if (!touched.has(value)) replaceValue(index, value, { ...value, primary: false })
  }
}

/**
 * The values a value filter may match, when the filter requires a string sub-attribute to equal
 * a text (`type eq "work"`, `value eq "x" and type eq "home"`): a superset of the matches, in no
 * particular order, for the caller to test with the filter itself. `undefined` when the filter
 * has no such comparison and every value must be tested.
 */
export function filterCandidates(
  index: ValueIndex,
  filter: Filter,
  definition: AttributeDefinition,
): readonly Json[] | undefined {
  if (filter.kind === 'and') {
    return (
      filterCandidates(index, filter.left, definition) ??
      filterCandidates(index, filter.right, definition)
    )
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') {
    return undefined
  }
  if (filter.path.uri !== undefined || filter.path.sub !== undefined) return undefined
  const sub = resolveSubAttribute(definition, filter.path.attr)
  if (sub === undefined || !isTextual(sub)) return undefined
  return candidatesWithText(index, sub.name, filter.value)
}

/**
 * The values an Entra remove-with-value item (`{"value": "x"}`) may match, by one of its string
 * sub-attributes; `undefined` when it gives none.
 */
export function listedCandidates(
  index: ValueIndex,
  item: unknown,
  definition: AttributeDefinition,
): readonly Json[] | undefined {
  if (!isPlainObject(item)) return undefined
  for (const [key, text] of Object.entries(item)) {
    const sub = resolveSubAttribute(definition, key)
    if (sub !== undefined && sub.name === key && isTextual(sub) && typeof text === 'string') {
      return candidatesWithText(index, sub.name, text)
    }
  }
  return undefined
}

/**
 * A JSON value's identity under structural equality: object keys sorted, `undefined` members
 * dropped (as JSON.stringify does), so two values are equal exactly when their keys are.
 */
export function valueKey(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isPlainObject(inner)
      ? Object.fromEntries(
          Object.keys(inner)
            .sort()
            .map((key) => [key, inner[key]]),
        )
      : inner,
  )
}

function candidatesWithText(index: ValueIndex, subName: string, text: string): Json[] {
  const subIndex = subIndexOf(index, subName)
  const found = subIndex.byText.get(text.toLowerCase())
  return [...(found ?? []), ...subIndex.irregular]
}

// Only text is indexed: eq on a dateTime compares instants, on booleans and numbers values.
function isTextual(sub: AttributeDefinition): boolean {
  return (
    !sub.multiValued && (sub.type === 'string' || sub.type === 'reference' || sub.type === 'binary')
  )
}

function subIndexOf(index: ValueIndex, subName: string): SubIndex {
  const known = index.bySub.get(subName)
  if (known !== undefined) return known
  const subIndex: SubIndex = { byText: new Map(), irregular: new Set() }
  index.bySub.set(subName, subIndex)
  for (const value of index.values) trackSub(subIndex, subName, value, 1)
  return subIndex
}

function track(index: ValueIndex, value: Json, delta: 1 | -1): void {
  const key = valueKey(value)
  const count = (index.keys.get(key) ?? 0) + delta
  if (count > 0) index.keys.set(key, count)
  else index.keys.delete(key)
  if (value['primary'] === true) {
    if (delta > 0) index.primaries.add(value)
    else index.primaries.delete(value)
  }
  for (const [subName, subIndex] of index.bySub) trackSub(subIndex, subName, value, delta)
}

function trackSub(subIndex: SubIndex, subName: string, value: Json, delta: 1 | -1): void {
  const text = value[subName]
  if (typeof text === 'string') {
    const folded = text.toLowerCase()
    const set = subIndex.byText.get(folded) ?? new Set<Json>()
    if (delta > 0) set.add(value)
    else set.delete(value)
    if (set.size > 0) subIndex.byText.set(folded, set)
    else subIndex.byText.delete(folded)
    return
  }
  // The filter reads names case-insensitively (RFC 7643 §2.1); values here are canonical, but a
  // stray spelling must still be found.
  if (
    text === undefined &&
    Object.keys(value).some((key) => key.toLowerCase() === subName.toLowerCase())
  ) {
    if (delta > 0) subIndex.irregular.add(value)
    else subIndex.irregular.delete(value)
  }
}
