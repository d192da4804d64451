// The `attributes` / `excludedAttributes` projection of RFC 7644 §3.4.2.5 (also on write
// responses, §3.9), honouring each attribute's `returned` characteristic (RFC 7643 §2.2, §7).

import { ScimError } from '../errors.ts'
import type { AttributePath } from '../filter/ast.ts'
import { findSchema, resolveAttributePath, splitUrnPath } from '../schemas/resolve.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas/types.ts'
import { isPlainObject } from './quirks.ts'

/**
 * Bounds on one `attributes` or `excludedAttributes` parameter: every attribute and sub-attribute
 * of a User with its extension is 76 paths, the longest 78 characters with its URN.
 */
export const MAX_ATTRIBUTE_PATHS = 100
export const MAX_ATTRIBUTE_LIST_LENGTH = 8192

/** Parsed `attributes` / `excludedAttributes` query parameters (see {@link parseAttributeList}). */
export interface ProjectionOptions {
  /** When non-empty: return only these (plus `returned: always` attributes). */
  readonly attributes?: readonly AttributePath[] | undefined
  /** Leave these out (never a `returned: always` attribute). */
  readonly excludedAttributes?: readonly AttributePath[] | undefined
}

/**
 * Parses an `attributes` or `excludedAttributes` parameter (RFC 7644 §3.4.2.5): a comma-separated
 * list of attribute names in `[uri:]attr[.sub]` notation, case-insensitive.
 *
 * Returns canonical paths: names spelled as the schema does; `uri` kept only for extension
 * attributes (`urn:…:enterprise:2.0:User:department` → `{ uri, attr: 'department' }`), dropped for
 * core-qualified names. A whole extension URN selects the extension object and is returned as
 * `{ attr: '<the URN>' }`, the key the extension has in a resource. `schemas` is accepted. An
 * unqualified name that exactly one extension defines (`department`) resolves to it. Empty items
 * are skipped; `undefined` or an empty string gives `[]`.
 *
 * RFC 7644 is silent on unknown names; Rollcall refuses them rather than silently returning
 * something else than asked, like the unknown attributes of bodies (interop profile §5.3).
 *
 * @param parameter the query parameter's name, for error details.
 * @throws ScimError invalidValue naming an unknown attribute, a value filter (`emails[type eq
 *   "work"]`, not part of this parameter's grammar), or a malformed name; and for a list of more
 *   than {@link MAX_ATTRIBUTE_PATHS} paths or {@link MAX_ATTRIBUTE_LIST_LENGTH} characters.
 */
export function parseAttributeList(
  raw: string | undefined,
  resourceType: ResourceTypeDefinition,
  parameter: 'attributes' | 'excludedAttributes' = 'attributes',
): AttributePath[] {
  if (raw === undefined) return []
  // Projection compares every listed path with every attribute of every returned resource, so
  // the list is bounded before any of it is resolved (issue #7).
  if (raw.length > MAX_ATTRIBUTE_LIST_LENGTH) {
    throw ScimError.invalidValue(
      `${parameter} is ${raw.length} characters long; at most ${MAX_ATTRIBUTE_LIST_LENGTH} are ` +
        'accepted. Name fewer attributes, or name a whole complex attribute instead of its ' +
        'sub-attributes.',
    )
  }
  const items = raw
    .split(',')
    .map((part) => part.trim())
    .filter((item) => item !== '')
  if (items.length > MAX_ATTRIBUTE_PATHS) {
    throw ScimError.invalidValue(
      `${parameter} names ${items.length} attribute paths; at most ${MAX_ATTRIBUTE_PATHS} are ` +
        'accepted. Name fewer attributes, or name a whole complex attribute instead of its ' +
        'sub-attributes.',
    )
  }
  const paths: AttributePath[] = []
  for (const item of items) {
    if (item.includes('[')) {
      throw ScimError.invalidValue(
        `"${item}" in ${parameter}: value filters are not allowed here (RFC 7644 §3.4.2.5); name the attribute ("${item.slice(0, item.indexOf('['))}") instead.`,
      )
    }
    if (item.toLowerCase() === 'schemas') {
      paths.push({ attr: 'schemas' })
      continue
    }
    const schema = findSchema(resourceType, item)
    if (schema !== undefined && schema.isExtension) {
      paths.push({ attr: schema.schema.id })
      continue
    }
    const path = splitUrnPath(item)
    const resolved = path === undefined ? undefined : resolveAttributePath(path, resourceType)
    if (resolved === undefined) {
      throw ScimError.invalidValue(
        `Unknown attribute "${item}" in ${parameter}: it is not defined for ${resourceType.name} (see /Schemas).`,
      )
    }
    paths.push(resolved.canonical)
  }
  return paths
}

interface ResolvedKey {
  readonly schema: ReturnType<typeof findSchema>
  readonly resolved: ReturnType<typeof resolveAttributePath>
}

// Every rendered resource of a type has the same few keys (userName, emails, meta…): resolve
// each once per type instead of once per resource of every page. Bounded: keys a client invents
// (unknown attributes kept in a document) only empty it.
const KEYS_PER_TYPE = 512
const resolvedKeys = new WeakMap<ResourceTypeDefinition, Map<string, ResolvedKey>>()

function resolveKey(resourceType: ResourceTypeDefinition, key: string): ResolvedKey {
  let keys = resolvedKeys.get(resourceType)
  if (keys === undefined) {
    keys = new Map()
    resolvedKeys.set(resourceType, keys)
  }
  let entry = keys.get(key)
  if (entry === undefined) {
    const schema = findSchema(resourceType, key)
    const resolved =
      (schema !== undefined && schema.isExtension) || key.includes(':')
        ? undefined
        : resolveAttributePath({ attr: key }, resourceType, { requireExtensionUri: true })
    entry = { schema, resolved }
    if (keys.size >= KEYS_PER_TYPE) keys.clear()
    keys.set(key, entry)
  }
  return entry
}

/**
 * Applies `attributes` / `excludedAttributes` to a full resource (RFC 7644 §3.4.2.5, §3.9).
 *
 * - `returned: always` (`id`; `schemas`) are kept whatever is asked; `returned: never`
 *   (`password`) never appear; `returned: request` appear only when named in `attributes`;
 *   `returned: default` (everything else, `meta` included) unless left out by the parameters.
 * - Both parameters may be given: `attributes` selects, then `excludedAttributes` removes.
 * - Sub-attributes: `name.givenName` / `emails.value` select or remove single sub-attributes,
 *   in every element of a multi-valued attribute. A complex value left empty is dropped.
 * - Extensions: `urn:…:User:department` selects one attribute of the extension, the bare URN
 *   the whole extension object.
 * - `schemas` is recomputed: the core URN, then the extensions whose object is still present.
 * - Keys the resource type does not define are returned only without `attributes`.
 *
 * Names in `resource` are matched case-insensitively but expected canonical; the input is not
 * modified. Never throws.
 */
export function projectResource(
  resource: Readonly<Record<string, unknown>>,
  resourceType: ResourceTypeDefinition,
  options: ProjectionOptions = {},
): Record<string, unknown> {
  const selection = toSelection(options)
  const body: Record<string, unknown> = {}
  const extensionBlocks = new Map<string, Record<string, unknown>>()

  for (const [key, value] of Object.entries(resource)) {
    if (value === undefined || key.toLowerCase() === 'schemas') continue
    const { schema, resolved } = resolveKey(resourceType, key)
    if (schema !== undefined && schema.isExtension) {
      const block = projectExtension(schema.schema.id, schema.schema.attributes, value, selection)
      if (block !== undefined) extensionBlocks.set(schema.schema.id, block)
      continue
    }
    if (resolved === undefined) {
      if (selection.attributes === undefined && !isExcludedWhole(selection, undefined, key)) {
        body[key] = value
      }
      continue
    }
    const projected = projectAttribute(resolved.definition, value, undefined, selection)
    if (projected !== undefined) body[resolved.definition.name] = projected
  }

  const schemas = [resourceType.schema.id]
  for (const { schema } of resourceType.extensions) {
    const block = extensionBlocks.get(schema.id)
    if (block === undefined) continue
    body[schema.id] = block
    schemas.push(schema.id)
  }
  return { schemas, ...body }
}

/**
 * Whether the top-level attribute `topLevelName` (`members`, `emails`, or an extension URN) would
 * appear in a projection with these options, assuming it is `returned: default`. Lets a store
 * skip loading what will not be returned: a Group read with `excludedAttributes=members`, or with
 * an `attributes` list that does not name `members`, need not load its members. `id` and
 * `schemas` are always wanted. Names compare case-insensitively.
 */
export function wantsAttribute(topLevelName: string, options: ProjectionOptions): boolean {
  const lower = topLevelName.toLowerCase()
  if (lower === 'id' || lower === 'schemas') return true
  const { attributes, excludedAttributes } = toSelection(options)
  if (attributes !== undefined) {
    const isNamed = attributes.some(
      (path) =>
        (path.uri === undefined && path.attr.toLowerCase() === lower) ||
        (path.uri !== undefined && path.uri.toLowerCase() === lower),
    )
    if (!isNamed) return false
  }
  return !excludedAttributes.some(
    (path) => path.uri === undefined && path.sub === undefined && path.attr.toLowerCase() === lower,
  )
}

interface Selection {
  /** Undefined when the client did not restrict the attributes. */
  readonly attributes: readonly AttributePath[] | undefined
  readonly excludedAttributes: readonly AttributePath[]
}

function toSelection(options: ProjectionOptions): Selection {
  const { attributes, excludedAttributes } = options
  return {
    attributes: attributes === undefined || attributes.length === 0 ? undefined : attributes,
    excludedAttributes: excludedAttributes ?? [],
  }
}

const sameName = (a: string | undefined, b: string | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.toLowerCase() === b.toLowerCase()

/** Whether `path` names the attribute `name` of the schema `uri` (undefined: core/common). */
function namesAttribute(path: AttributePath, uri: string | undefined, name: string): boolean {
  return sameName(path.uri, uri) && sameName(path.attr, name)
}

function isExcludedWhole(selection: Selection, uri: string | undefined, name: string): boolean {
  return selection.excludedAttributes.some(
    (path) => path.sub === undefined && namesAttribute(path, uri, name),
  )
}

function projectExtension(
  uri: string,
  definitions: readonly AttributeDefinition[],
  value: unknown,
  selection: Selection,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined
  if (isExcludedWhole(selection, undefined, uri)) return undefined
  const isWholeRequested =
    selection.attributes?.some((path) => path.uri === undefined && sameName(path.attr, uri)) ??
    false
  const block: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue
    const definition = definitions.find((candidate) => sameName(candidate.name, key))
    if (definition === undefined) {
      if (
        (selection.attributes === undefined || isWholeRequested) &&
        !isExcludedWhole(selection, uri, key)
      ) {
        block[key] = item
      }
      continue
    }
    const projected = projectAttribute(definition, item, uri, selection, isWholeRequested)
    if (projected !== undefined) block[definition.name] = projected
  }
  return Object.keys(block).length === 0 ? undefined : block
}

function projectAttribute(
  definition: AttributeDefinition,
  value: unknown,
  uri: string | undefined,
  selection: Selection,
  isParentRequested = false,
): unknown {
  if (definition.returned === 'never') return undefined
  if (definition.returned === 'always') return value
  const named = (selection.attributes ?? []).filter((path) =>
    namesAttribute(path, uri, definition.name),
  )
  const requestedSubs = new Set(
    named.flatMap((path) => (path.sub === undefined ? [] : [path.sub.toLowerCase()])),
  )
  const isWhole = isParentRequested || named.some((path) => path.sub === undefined)
  if (selection.attributes === undefined) {
    if (definition.returned === 'request') return undefined
  } else if (!isWhole && named.length === 0) {
    return undefined
  }
  if (isExcludedWhole(selection, uri, definition.name)) return undefined

  const subs = definition.subAttributes
  if (definition.type !== 'complex' || subs === undefined) return value
  const excludedSubs = new Set(
    selection.excludedAttributes.flatMap((path) =>
      path.sub !== undefined && namesAttribute(path, uri, definition.name)
        ? [path.sub.toLowerCase()]
        : [],
    ),
  )
  const isSelecting = selection.attributes !== undefined && !isWhole
  const keepSub = (key: string): boolean => {
    const lower = key.toLowerCase()
    const sub = subs.find((candidate) => candidate.name.toLowerCase() === lower)
    if (sub?.returned === 'never') return false
    if (sub?.returned === 'always') return true
    if (sub?.returned === 'request' && !requestedSubs.has(lower)) return false
    if (isSelecting && !requestedSubs.has(lower)) return false
    return !excludedSubs.has(lower)
  }
  const pick = (item: unknown): unknown => {
    if (!isPlainObject(item)) return item
    const picked: Record<string, unknown> = {}
    for (const [key, subValue] of Object.entries(item)) {
      if (subValue !== undefined && keepSub(key)) picked[key] = subValue
    }
    return Object.keys(picked).length === 0 ? undefined : picked
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return value
    const items = value.map(pick).filter((item) => item !== undefined)
    return items.length === 0 ? undefined : items
  }
  return pick(value)
}
