// Turns a client's POST/PUT body into the canonical stored document: RFC 7643 §2 (attribute
// characteristics and data types), §7 (schemas); RFC 7644 §3.3 (create), §3.5.1 (replace).

import { ScimError } from '../errors.ts'
import { COMMON_ATTRIBUTES } from '../schemas/index.ts'
import { findSchema, resolveAttributePath, splitUrnPath } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
} from '../schemas/types.ts'
import {
  coerceBareMembers,
  coerceManagerValue,
  coerceStringBoolean,
  isIgnoredSchemaUrn,
  isPlainObject,
  isUnassigned,
} from './quirks.ts'
import type { QuirkOptions } from './quirks.ts'

/** `create` for POST (RFC 7644 §3.3), `replace` for PUT (RFC 7644 §3.5.1). */
export type NormalizeMode = 'create' | 'replace'

/** Options of {@link normalizeResource}. */
export interface NormalizeOptions {
  readonly quirks: QuirkOptions
  /**
   * Both modes validate alike (PUT replaces the whole document, so an attribute left out or sent
   * as `null` ends up cleared either way). The one difference: `"members": null` is "no members
   * asserted" on create and "clear the members" on replace.
   */
  readonly mode: NormalizeMode
}

/** A group member as a client asserted it: the member's `id` and, optionally, its kind. */
export interface GroupMemberInput {
  readonly value: string
  readonly type?: 'User' | 'Group'
}

/** The canonical form of a request body, split into what is stored where. */
export interface NormalizedResource {
  /**
   * The document to store: `schemas` (the core URN, then the extensions actually present),
   * `externalId`, the core attributes in schema order, then each extension under its URN key.
   * Names are spelled as the schema spells them; unassigned values (null, empty arrays, empty
   * complex values) are absent. Never holds readOnly attributes (`id`, `meta`, `groups`),
   * `password` or group `members`.
   */
  readonly doc: Record<string, unknown>
  /** The cleartext `password` when one was sent (RFC 7643 §4.1.1); hash it, never store it. */
  readonly password?: string
  /**
   * Group `members` when the body carried the attribute, in the client's order, repeats of an
   * id collapsed (a later copy may only supply the `type` the first lacked); absent when the body
   * did not carry it. In `replace` mode `"members": null` gives `[]` (clear).
   */
  readonly members?: readonly GroupMemberInput[]
}

/**
 * Validates a POST/PUT body against `resourceType` and returns its canonical form.
 *
 * - The body must be a JSON object. `schemas`, when present, must be an array holding the core
 *   schema URN; every other URN must be one of the resource type's extensions, or a tolerated
 *   client URN (Entra's ADSCIM Group URN, dropped; refused in strict mode). A missing (or null,
 *   or empty) `schemas` is tolerated (several IdPs omit it on PUT) unless `quirks.strict`, as
 *   RFC 7643 §3 requires it.
 *   An extension URN that is used but not listed in `schemas` is tolerated (Entra omits custom
 *   extension URNs), in both modes: the stored `schemas` is recomputed from what is present.
 * - Attribute names match case-insensitively (RFC 7643 §2.1) and are re-spelled canonically.
 *   Extension attributes are accepted inside their URN object or as a top-level fully qualified
 *   name (`"urn:…:enterprise:2.0:User:employeeNumber": "x"`, RFC 7644 §3.10); the core URN may
 *   qualify core attributes the same way. Dotted paths (`name.givenName`) are not body keys.
 * - readOnly attributes (`id`, `meta`, `groups`, `members[].display`, `manager.displayName`) are
 *   ignored without inspection (RFC 7644 §3.3). immutable attributes are accepted: checking them
 *   against the stored value is the caller's job on PUT.
 * - Values are type-checked and coerced by {@link coerceAttributeValue}. `null` means unassigned
 *   (RFC 7643 §2.5) in both modes; since PUT replaces the whole document, an unassigned attribute
 *   is cleared by it.
 * - `password` is returned apart, never in `doc`. Group `members` likewise (see the return type).
 *   On PUT an absent `password` or `members` is "not asserted": RFC 7644 §3.5.1 lets the caller
 *   keep the stored value or clear it.
 *
 * @throws ScimError invalidSyntax: not an object, bad or unknown `schemas`, unknown attribute
 *   (the detail names it and the IdP mapping to remove, interop profile §5.3), an attribute given
 *   twice under different spellings.
 * @throws ScimError invalidValue: wrong type, several `primary: true`, a required attribute
 *   (`userName`, group `displayName`) missing or empty, a member without `value`.
 */
export function normalizeResource(
  input: unknown,
  resourceType: ResourceTypeDefinition,
  options: NormalizeOptions,
): NormalizedResource {
  if (!isPlainObject(input)) {
    throw ScimError.invalidSyntax(
      `The request body must be a JSON object (a SCIM ${resourceType.name} resource), got ${describeValue(input)}.`,
    )
  }
  return normalizeBody(input, resourceType, options.quirks, {
    mode: options.mode,
    requireSchemas: options.quirks.strict,
  })
}

/**
 * Re-checks a whole document after it was changed (by PATCH, RFC 7644 §3.5.2): known attributes
 * only, types, required attributes, at most one `primary`. `schemas` is not required.
 * Returns the canonical form exactly as {@link normalizeResource} would in `replace` mode, so the
 * caller may store `doc` (readOnly attributes such as `id` and `meta` are dropped from it).
 *
 * @throws ScimError as {@link normalizeResource}.
 */
export function validateDocument(
  doc: Record<string, unknown>,
  resourceType: ResourceTypeDefinition,
  quirks: QuirkOptions,
): NormalizedResource {
  return normalizeBody(doc, resourceType, quirks, { mode: 'replace', requireSchemas: false })
}

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

interface BodyOptions {
  readonly mode: NormalizeMode
  readonly requireSchemas: boolean
}

/** Where a top-level body key lands: a whole extension object, or one attribute. */
type KeyTarget =
  | { readonly kind: 'extension'; readonly schema: SchemaDefinition }
  | { readonly kind: 'attribute'; readonly resolved: ResolvedAttribute }

function normalizeBody(
  body: Record<string, unknown>,
  resourceType: ResourceTypeDefinition,
  quirks: QuirkOptions,
  options: BodyOptions,
): NormalizedResource {
  const schemasKey = Object.keys(body).find((key) => key.toLowerCase() === 'schemas')
  checkSchemas(
    schemasKey === undefined ? undefined : body[schemasKey],
    resourceType,
    quirks,
    options.requireSchemas,
  )

  // schema URN -> canonical attribute name -> value
  const values = new Map<string, Map<string, unknown>>()
  const given = new Set<string>()
  let password: string | undefined
  let members: GroupMemberInput[] | undefined

  const assign = (
    schemaUrn: string,
    definition: AttributeDefinition,
    raw: unknown,
    path: string,
  ): void => {
    if (definition.mutability === 'readOnly') return
    const identity = `${schemaUrn}:${definition.name}`
    if (given.has(identity)) {
      throw ScimError.invalidSyntax(
        `Attribute "${path}" is given more than once (names are case-insensitive, RFC 7643 §2.1; ` +
          'an extension attribute may be sent inside its schema object or URN-qualified, not both).',
      )
    }
    given.add(identity)
    if (isPasswordDefinition(definition)) {
      const coerced = coerceAttributeValue(definition, raw, path, quirks)
      if (typeof coerced === 'string' && coerced !== '') password = coerced
      return
    }
    if (resourceType.name === 'Group' && isMembersDefinition(definition)) {
      members = extractMembers(definition, raw, quirks, options.mode)
      return
    }
    const coerced = coerceAttributeValue(definition, raw, path, quirks)
    if (coerced === undefined) return
    let bucket = values.get(schemaUrn)
    if (bucket === undefined) {
      bucket = new Map()
      values.set(schemaUrn, bucket)
    }
    bucket.set(definition.name, coerced)
  }

  for (const [key, raw] of Object.entries(body)) {
    if (key === schemasKey) continue
    const target = classifyKey(key, resourceType)
    if (target.kind === 'attribute') {
      const { resolved } = target
      const path = resolved.isExtension
        ? `${resolved.schemaUrn}:${resolved.definition.name}`
        : resolved.definition.name
      assign(resolved.schemaUrn, resolved.definition, raw, path)
      continue
    }
    const { schema } = target
    if (isUnassigned(raw)) continue
    if (!isPlainObject(raw)) {
      throw ScimError.invalidValue(
        `"${schema.id}" must be a JSON object holding the extension's attributes, got ${describeValue(raw)}.`,
      )
    }
    for (const [name, value] of Object.entries(raw)) {
      const definition = findAttribute(schema.attributes, name)
      if (definition === undefined) throw unknownAttribute(`${schema.id}:${name}`, resourceType)
      assign(schema.id, definition, value, `${schema.id}:${definition.name}`)
    }
  }

  const coreValues = values.get(resourceType.schema.id) ?? new Map<string, unknown>()
  assertRequired(resourceType, values)

  const doc: Record<string, unknown> = { schemas: [resourceType.schema.id] }
  for (const definition of [...COMMON_ATTRIBUTES, ...resourceType.schema.attributes]) {
    const value = coreValues.get(definition.name)
    if (value !== undefined) doc[definition.name] = value
  }
  const schemas = [resourceType.schema.id]
  for (const { schema } of resourceType.extensions) {
    const extensionValues = values.get(schema.id)
    if (extensionValues === undefined || extensionValues.size === 0) continue
    const block: Record<string, unknown> = {}
    for (const definition of schema.attributes) {
      const value = extensionValues.get(definition.name)
      if (value !== undefined) block[definition.name] = value
    }
    doc[schema.id] = block
    schemas.push(schema.id)
  }
  doc['schemas'] = schemas

  return {
    doc,
    ...(password === undefined ? {} : { password }),
    ...(members === undefined ? {} : { members }),
  }
}

/** RFC 7643 §3: `schemas` lists the core schema and the extensions in use. */
function checkSchemas(
  raw: unknown,
  resourceType: ResourceTypeDefinition,
  quirks: QuirkOptions,
  isRequired: boolean,
): void {
  const core = resourceType.schema.id
  if (isUnassigned(raw)) {
    if (!isRequired) return
    throw ScimError.invalidSyntax(
      `"schemas" is required (RFC 7643 §3): send "schemas": ["${core}"] plus any extension URNs used.`,
    )
  }
  if (!Array.isArray(raw) || raw.some((urn) => typeof urn !== 'string')) {
    throw ScimError.invalidSyntax(
      `"schemas" must be an array of schema URN strings, got ${describeValue(raw)}.`,
    )
  }
  let hasCore = false
  for (const urn of raw as string[]) {
    const found = findSchema(resourceType, urn)
    if (found !== undefined) {
      if (!found.isExtension) hasCore = true
      continue
    }
    if (isIgnoredSchemaUrn(urn, quirks)) continue
    throw unknownSchema(urn, resourceType, quirks)
  }
  if (!hasCore) {
    throw ScimError.invalidSyntax(
      `"schemas" must contain the ${resourceType.name} schema "${core}" (RFC 7643 §3).`,
    )
  }
}

function classifyKey(key: string, resourceType: ResourceTypeDefinition): KeyTarget {
  const schema = findSchema(resourceType, key)
  if (schema !== undefined) {
    if (schema.isExtension) return { kind: 'extension', schema: schema.schema }
    throw ScimError.invalidSyntax(
      `"${key}" must not be used as an attribute: core ${resourceType.name} attributes go at the top level of the body.`,
    )
  }
  const path = splitUrnPath(key)
  if (path !== undefined && path.sub !== undefined) {
    throw ScimError.invalidSyntax(
      `"${key}" is an attribute path, not an attribute name: in a ${resourceType.name} body send ` +
        `"${path.attr}" as an object holding "${path.sub}".`,
    )
  }
  const resolved =
    path === undefined
      ? undefined
      : resolveAttributePath(path, resourceType, { requireExtensionUri: true })
  if (resolved !== undefined) return { kind: 'attribute', resolved }
  throw unknownAttribute(key, resourceType)
}

function extractMembers(
  definition: AttributeDefinition,
  raw: unknown,
  quirks: QuirkOptions,
  mode: NormalizeMode,
): GroupMemberInput[] | undefined {
  if (raw === null || raw === undefined) return mode === 'replace' ? [] : undefined
  // Check ids on the client's own elements: coercion drops elements left empty (`{display}`).
  const asSent = coerceBareMembers(raw)
  if (Array.isArray(asSent)) {
    asSent.forEach((item, index) => {
      if (!isPlainObject(item)) return
      const valueKey = Object.keys(item).find((key) => key.toLowerCase() === 'value')
      assertMemberId(valueKey === undefined ? undefined : item[valueKey], index)
    })
  }
  const coerced = coerceAttributeValue(definition, raw, 'members', quirks)
  if (coerced === undefined) return []
  // Collapse repeats by id; a later copy may only add the `type` the first one lacked.
  const byValue = new Map<string, GroupMemberInput>()
  for (const [index, item] of (coerced as Record<string, unknown>[]).entries()) {
    const value = assertMemberId(item['value'], index)
    const asserted = memberType(item['type'], index)
    const type = byValue.get(value)?.type ?? asserted
    byValue.set(value, type === undefined ? { value } : { value, type })
  }
  return [...byValue.values()]
}

function assertMemberId(value: unknown, index: number): string {
  if (typeof value === 'string' && value.trim() !== '') return value
  throw ScimError.invalidValue(
    `members[${index}].value is required: each member must carry the "id" (a string) of a User or Group.`,
  )
}

function memberType(raw: unknown, index: number): 'User' | 'Group' | undefined {
  if (raw === undefined) return undefined
  const lower = typeof raw === 'string' ? raw.toLowerCase() : undefined
  if (lower === 'user') return 'User'
  if (lower === 'group') return 'Group'
  throw ScimError.invalidValue(
    `members[${index}].type must be "User" or "Group", got ${describeValue(raw)}.`,
  )
}

/** Rollcall's identity rules make these required even if a schema were edited (SPEC §1 D1, G1). */
const ALWAYS_REQUIRED: Readonly<Record<ResourceTypeDefinition['name'], string>> = {
  User: 'userName',
  Group: 'displayName',
}

function assertRequired(
  resourceType: ResourceTypeDefinition,
  values: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
): void {
  const schemas = [resourceType.schema, ...resourceType.extensions.map(({ schema }) => schema)]
  for (const schema of schemas) {
    for (const definition of schema.attributes) {
      const isRequired =
        (definition.required && definition.mutability !== 'readOnly') ||
        (schema === resourceType.schema && definition.name === ALWAYS_REQUIRED[resourceType.name])
      if (!isRequired || isPasswordDefinition(definition)) continue
      const value = values.get(schema.id)?.get(definition.name)
      if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
        const name =
          schema === resourceType.schema ? definition.name : `${schema.id}:${definition.name}`
        throw ScimError.invalidValue(
          `${name} is required: a ${resourceType.name} must have a non-empty "${name}". ` +
            `Map a source attribute that always has a value to ${name} in your identity provider.`,
        )
      }
    }
  }
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

/** A short, safe description of a JSON value for error details. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value
      return `the string ${JSON.stringify(shown)}`
    }
    case 'number':
      return `the number ${value}`
    case 'boolean':
      return `the boolean ${value}`
    case 'object':
      return 'an object'
    default:
      return typeof value
  }
}

function unknownAttribute(name: string, resourceType: ResourceTypeDefinition): ScimError {
  const extension = resourceType.extensions.find(
    ({ schema }) => !name.includes(':') && findAttribute(schema.attributes, name) !== undefined,
  )
  const hint =
    extension === undefined
      ? ''
      : ` It is an attribute of the extension "${extension.schema.id}": ` +
        `send it inside that object or as "${extension.schema.id}:${name}".`
  return ScimError.invalidSyntax(
    `Attribute "${name}" is not defined for ${resourceType.name} (see /Schemas).${hint} ` +
      `If your identity provider sends it from an attribute mapping, remove the mapping for "${name}" there (Microsoft Entra ID: Provisioning > Mappings).`,
  )
}

function unknownSubAttribute(path: string, parent: AttributeDefinition): ScimError {
  const names = (parent.subAttributes ?? []).map((sub) => sub.name).join(', ')
  return ScimError.invalidSyntax(
    `Attribute "${path}" is not defined (see /Schemas): ` +
      `"${parent.name}" has the sub-attributes ${names}. ` +
      `If your identity provider sends it from an attribute mapping, remove that mapping there (Microsoft Entra ID: Provisioning > Mappings).`,
  )
}

function unknownSchema(
  urn: string,
  resourceType: ResourceTypeDefinition,
  quirks: QuirkOptions,
): ScimError {
  const supported = [
    resourceType.schema.id,
    ...resourceType.extensions.map(({ schema }) => schema.id),
  ]
  const detail =
    `Schema "${urn}" in "schemas" is not supported for ${resourceType.name}; ` +
    `supported: ${supported.join(', ')}.`
  if (quirks.strict && isIgnoredSchemaUrn(urn, { strict: false })) {
    return ScimError.invalidSyntax(
      `${detail} This Microsoft Entra ID schema URN is refused in strict interop-profile mode; ` +
        'turn strict mode off for this tenant to provision groups from Entra ID.',
    )
  }
  return ScimError.invalidSyntax(
    `${detail} Remove the attribute mappings that use this schema in your identity provider ` +
      '(Microsoft Entra ID: Provisioning > Mappings).',
  )
}

function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const lower = name.toLowerCase()
  return attributes.find((attribute) => attribute.name.toLowerCase() === lower)
}

function isManagerDefinition(definition: AttributeDefinition): boolean {
  return definition.name === 'manager' && definition.type === 'complex' && !definition.multiValued
}

function isMembersDefinition(definition: AttributeDefinition): boolean {
  return definition.name === 'members' && definition.type === 'complex' && definition.multiValued
}

function isPasswordDefinition(definition: AttributeDefinition): boolean {
  return definition.name === 'password' && definition.mutability === 'writeOnly'
}
