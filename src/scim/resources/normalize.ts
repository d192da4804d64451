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
  findAttribute,
  isMembersDefinition,
  isPasswordDefinition,
} from './attribute-definitions.ts'
import { coerceAttributeValue } from './coerce-value.ts'
import { describeValue } from './describe-value.ts'
import { parseMembers } from './members.ts'
import type { GroupMemberInput } from './members.ts'
import { isIgnoredSchemaUrn, isPlainObject, isUnassigned } from './quirks.ts'
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

export type { GroupMemberInput } from './members.ts'

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

/** `members` of a POST/PUT body; `null` clears them on PUT and asserts nothing on POST. */
function extractMembers(
  definition: AttributeDefinition,
  raw: unknown,
  quirks: QuirkOptions,
  mode: NormalizeMode,
): GroupMemberInput[] | undefined {
  if (raw === null || raw === undefined) return mode === 'replace' ? [] : undefined
  return parseMembers(definition, raw, { label: 'members', quirks, idCheck: 'string' })
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
