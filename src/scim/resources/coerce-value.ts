// Validates and coerces one attribute value against its definition: RFC 7643 §2.3 (data types),
// §2.4 (multi-valued, primary), §2.5 (unassigned), with the client quirks of quirks.ts. Shared by
// the POST/PUT normaliser and the PATCH engine.

import { ScimError } from '../errors.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import { findAttribute, isManagerDefinition, isMembersDefinition } from './attribute-definitions.ts'
import { describeValue } from './describe-value.ts'
import {
  coerceBareMembers,
  coerceManagerValue,
  coerceStringBoolean,
  isPlainObject,
  isUnassigned,
} from './quirks.ts'
import type { QuirkOptions } from './quirks.ts'

/**
 * Validates and coerces the value of one attribute (or sub-attribute) against its definition,
 * recursing into complex and multi-valued values (RFC 7643 §2.3, §2.4). Shared with PATCH.
 *
 * - Returns `undefined` for an unassigned value: `null`, `[]`, a complex value left empty, an
 *   empty manager (quirk). Returns a fresh value; the input is not modified.
 * - Sub-attribute names match case-insensitively and are re-spelled; readOnly sub-attributes are
 *   dropped; identical elements of a multi-valued attribute are collapsed.
 * - `dateTime` values (xsd:dateTime, RFC 7643 §2.3.5) are normalised to ISO 8601 UTC with
 *   milliseconds (`2024-01-02T03:04:05.000Z`), so stored values compare in time order; a value
 *   without offset is read as UTC. `binary` must be base64 (RFC 4648 §4) and is kept as sent.
 *   Strings are kept as sent (no trimming, no case folding); `canonicalValues` are advertised,
 *   not enforced (an IdP's `type` such as `"mobile"` on emails is stored as sent).
 * - Quirks (see quirks.ts): string booleans (refused when `quirks.strict`), the enterprise
 *   `manager` as a bare id, group `members` as bare ids.
 *
 * @param path how the client would name the value, used in error details (`emails[0].primary`).
 * @throws ScimError invalidValue for a wrong type or several `primary: true`; invalidSyntax for
 *   an unknown sub-attribute.
 */
export function coerceAttributeValue(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  quirks: QuirkOptions,
): unknown {
  let input = value
  if (isManagerDefinition(definition)) input = coerceManagerValue(input)
  else if (isMembersDefinition(definition)) input = coerceBareMembers(input)
  if (isUnassigned(input)) return undefined
  if (!definition.multiValued) return coerceSingleValue(definition, input, path, quirks)
  if (!Array.isArray(input)) {
    throw ScimError.invalidValue(
      `Attribute "${path}" is multi-valued: expected an array of ${expectedType(definition)}, got ${describeValue(input)}.`,
    )
  }
  const values: unknown[] = []
  const seen = new Set<string>()
  input.forEach((item, index) => {
    const coerced = coerceSingleValue(definition, item, `${path}[${index}]`, quirks)
    if (coerced === undefined) return
    // Canonical key order makes JSON text a faithful identity for collapsing repeats.
    const identity = JSON.stringify(coerced)
    if (seen.has(identity)) return
    seen.add(identity)
    values.push(coerced)
  })
  if (values.length === 0) return undefined
  assertSinglePrimary(definition, values, path)
  return values
}

function coerceSingleValue(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  quirks: QuirkOptions,
): unknown {
  if (value === null || value === undefined) return undefined
  switch (definition.type) {
    case 'string':
    case 'reference':
      if (typeof value === 'string') return value
      break
    case 'boolean': {
      const coerced = coerceStringBoolean(value, path, quirks)
      if (typeof coerced === 'boolean') return coerced
      break
    }
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value
      break
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value
      break
    case 'dateTime': {
      const normalized = typeof value === 'string' ? normalizeDateTime(value) : undefined
      if (normalized !== undefined) return normalized
      break
    }
    case 'binary':
      if (typeof value === 'string' && isBase64(value)) return value
      break
    case 'complex':
      if (isPlainObject(value)) return coerceComplexValue(definition, value, path, quirks)
      break
  }
  throw ScimError.invalidValue(
    `Attribute "${path}" must be ${expectedType(definition)}, got ${describeValue(value)}.`,
  )
}

function coerceComplexValue(
  definition: AttributeDefinition,
  value: Record<string, unknown>,
  path: string,
  quirks: QuirkOptions,
): Record<string, unknown> | undefined {
  const subAttributes = definition.subAttributes ?? []
  const coerced = new Map<string, unknown>()
  const given = new Set<string>()
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttribute(subAttributes, key)
    if (sub === undefined) throw unknownSubAttribute(`${path}.${key}`, definition)
    if (sub.mutability === 'readOnly') continue
    if (given.has(sub.name)) {
      throw ScimError.invalidSyntax(
        `Sub-attribute "${path}.${sub.name}" is given more than once (names are case-insensitive, RFC 7643 §2.1).`,
      )
    }
    given.add(sub.name)
    const subValue = coerceAttributeValue(sub, raw, `${path}.${sub.name}`, quirks)
    if (subValue !== undefined) coerced.set(sub.name, subValue)
  }
  if (coerced.size === 0) return undefined
  const result: Record<string, unknown> = {}
  for (const sub of subAttributes) {
    if (coerced.has(sub.name)) result[sub.name] = coerced.get(sub.name)
  }
  return result
}

/** RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once." */
function assertSinglePrimary(
  definition: AttributeDefinition,
  values: readonly unknown[],
  path: string,
): void {
  if (definition.type !== 'complex') return
  const primaries = values.filter((item) => isPlainObject(item) && item['primary'] === true)
  if (primaries.length > 1) {
    throw ScimError.invalidValue(
      `Attribute "${path}" has ${primaries.length} values with "primary": true; at most one may be primary (RFC 7643 §2.4).`,
    )
  }
}

const XSD_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$/

/** xsd:dateTime (RFC 7643 §2.3.5) → ISO 8601 UTC with milliseconds; undefined when invalid. */
function normalizeDateTime(value: string): string | undefined {
  const match = XSD_DATE_TIME.exec(value)
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second, , offset] = match
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  // Date.parse rolls 2021-02-30 over into March; refuse impossible dates instead.
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate()
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth) return undefined
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined
  const time = Date.parse(offset === undefined ? `${value}Z` : value)
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

/** RFC 7643 §2.3.6: base64 as in RFC 4648 §4; line breaks tolerated (PEM bodies). */
function isBase64(value: string): boolean {
  const compact = value.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return false
  return compact.includes('=') ? compact.length % 4 === 0 : compact.length % 4 !== 1
}

function expectedType(definition: AttributeDefinition): string {
  switch (definition.type) {
    case 'string':
      return 'a string'
    case 'reference':
      return 'a string (a URI or resource id)'
    case 'boolean':
      return 'a boolean (true or false)'
    case 'integer':
      return 'an integer'
    case 'decimal':
      return 'a number'
    case 'dateTime':
      return 'a date-time string such as "2024-01-31T12:00:00Z" (xsd:dateTime)'
    case 'binary':
      return 'a base64-encoded string'
    case 'complex': {
      const names = (definition.subAttributes ?? [])
        .filter((sub) => sub.mutability !== 'readOnly')
        .map((sub) => sub.name)
      return `an object with the sub-attributes ${names.join(', ')}`
    }
  }
}

function unknownSubAttribute(path: string, parent: AttributeDefinition): ScimError {
  const names = (parent.subAttributes ?? []).map((sub) => sub.name).join(', ')
  return ScimError.invalidSyntax(
    `Attribute "${path}" is not defined (see /Schemas): ` +
      `"${parent.name}" has the sub-attributes ${names}. ` +
      `If your identity provider sends it from an attribute mapping, remove that mapping there (Microsoft Entra ID: Provisioning > Mappings).`,
  )
}
