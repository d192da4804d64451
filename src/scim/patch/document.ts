// Reading and writing the attributes of a document during a PATCH (RFC 7644 §3.5.2): where an
// attribute lives (top level or under its extension URN), unassigning (RFC 7643 §2.5), JSON
// equality.

import { isPlainObject } from '../resources/quirks.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'

/** A JSON object: a document, an extension block or a complex value. */
export type Json = Record<string, unknown>

/** The object holding the attribute: the document, or its extension block when present. */
export function containerOf(doc: Json, resolved: ResolvedAttribute): Json | undefined {
  if (!resolved.isExtension) return doc
  const container = doc[resolved.schemaUrn]
  return isPlainObject(container) ? container : undefined
}

/** A multi-valued attribute's objects, as a fresh array (a single object counts as one). */
export function readArray(doc: Json, resolved: ResolvedAttribute, name: string): Json[] {
  const value = containerOf(doc, resolved)?.[name]
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]).filter(isPlainObject)
}

/** A singular complex attribute's object, or `{}`. */
export function readObject(doc: Json, resolved: ResolvedAttribute, name: string): Json {
  const value = containerOf(doc, resolved)?.[name]
  return isPlainObject(value) ? value : {}
}

/** Sets an attribute; `undefined` or `[]` unassigns it (RFC 7643 §2.5). */
export function setValue(
  doc: Json,
  resolved: ResolvedAttribute,
  name: string,
  value: unknown,
): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    deleteValue(doc, resolved, name)
    return
  }
  if (!resolved.isExtension) {
    doc[name] = value
    return
  }
  const container = containerOf(doc, resolved) ?? {}
  container[name] = value
  doc[resolved.schemaUrn] = container
}

/** Unassigns an attribute, and drops an extension object left empty. */
export function deleteValue(doc: Json, resolved: ResolvedAttribute, name: string): void {
  const container = containerOf(doc, resolved)
  if (container === undefined) return
  delete container[name]
  if (resolved.isExtension && Object.keys(container).length === 0) delete doc[resolved.schemaUrn]
}

const LABEL_KEYS: ReadonlySet<string> = new Set(['type', 'primary', 'display'])

/** A value left with nothing but its label (`{ type: "work" }`) once a sub-attribute is gone. */
export function isDataless(element: Json): boolean {
  return Object.keys(element).every((key) => LABEL_KEYS.has(key))
}

/** Names compare case-insensitively (RFC 7643 §2.1). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => deepEqual(item, b[index]))
    )
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined)
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined)
    return keys.length === otherKeys.length && keys.every((key) => deepEqual(a[key], b[key]))
  }
  return false
}
