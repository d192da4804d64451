// The PATCH engine of RFC 7644 §3.5.2 (add §3.5.2.1, remove §3.5.2.2, replace §3.5.2.3): a pure
// function from a stored SCIM document and a PatchOp body to the new document, atomically; Group
// `members` become member operations for the store (O(changed), SPEC §2).

import { ScimError } from '../errors.ts'
import type { Filter, PatchPath } from '../filter/ast.ts'
import { validateValueFilter, valueFilterPredicate } from '../filter/evaluate.ts'
import { parsePatchPath } from '../filter/parser.ts'
import { coerceAttributeValue } from '../resources/coerce-value.ts'
import { describeValue } from '../resources/describe-value.ts'
import { validateDocument } from '../resources/normalize.ts'
import { isPlainObject } from '../resources/quirks.ts'
import type { QuirkOptions } from '../resources/quirks.ts'
import { PATCH_OP_URN } from '../schemas/index.ts'
import { findSchema, resolveAttributePath, resolveSubAttribute } from '../schemas/resolve.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type {
  AttributeDefinition,
  ResourceTypeDefinition,
  SchemaDefinition,
} from '../schemas/types.ts'
import {
  acceptBareMemberIds,
  elementForUnmatchedFilter,
  expandPathlessValue,
  isAddOverwritingAttribute,
  isIgnoredPathlessKey,
  listedRemovalValues,
  normalizeOpName,
} from './quirks.ts'
import type { PatchOpName } from './quirks.ts'
import {
  buildValueIndex,
  clearPrimariesExcept,
  filterCandidates,
  hasEqualValue,
  listedCandidates,
  pushValue,
  removeValue,
  replaceValue,
  type ValueIndex,
} from './value-index.ts'

type Json = Record<string, unknown>

/** A group member named by a PATCH: the member's `id` and, when the client said so, its kind. */
export type MemberReference = { value: string; type?: 'User' | 'Group' }

/**
 * A change to a Group's members, in request order. Members never live in the document; the store
 * applies these with O(changed) SQL and only to SCIM-origin memberships (SPEC §1 G5).
 */
export type MemberOperation =
  | { kind: 'add'; members: MemberReference[] }
  | { kind: 'replace'; members: MemberReference[] }
  | { kind: 'remove'; values: string[] }
  | { kind: 'removeAll' }
  | { kind: 'removeWhere'; filter: Filter }

/** What {@link applyPatch} returns. */
export interface PatchResult {
  /** The new document, in the canonical form of `validateDocument`, in the input's shape. */
  doc: Record<string, unknown>
  /** Member changes, in request order (Groups only). */
  memberOps: MemberOperation[]
  /** False when `doc` equals the input and nothing else changed: the store may skip the write. */
  changed: boolean
  /** A cleartext `password` set by the PATCH (RFC 7643 §4.1.1): hash it, never store it. */
  password?: string
}

/**
 * Applies a PATCH request body (RFC 7644 §3.5.2) to a stored document.
 *
 * The document holds core attributes at the top level and extension attributes under their URN
 * key; it has no `id`, `meta`, `groups` nor Group `members`. A `schemas` key is kept (recomputed)
 * when the input has one. Neither `body` nor `doc` is modified; any invalid operation throws and
 * nothing is applied.
 *
 * - Body: an object whose `schemas` holds the PatchOp URN and whose `Operations` is a non-empty
 *   array. Member names (`Operations`, `op`, `path`, `value`) match case-insensitively (RFC 7643
 *   §2.1), so `operations` is accepted; `op` values too (Entra's `Replace`).
 * - With `path`: attributes, sub-attributes (`name.familyName`), URN-qualified extension
 *   attributes and whole extensions, value filters (`emails[type eq "work"].value`). add appends
 *   to multi-valued attributes (skipping identical values) and merges into complex ones; replace
 *   overwrites a complex attribute and swaps a multi-valued one (interop profile §6.5.2); add and
 *   replace are the same on simple attributes. An add/replace whose `eq` filter matches nothing
 *   creates the element (Entra quirk), otherwise noTarget. remove of nothing is a no-op. Setting
 *   `primary: true` clears it on the other values (RFC 7644 §3.5.2).
 * - Without `path` (refused in strict mode, interop profile §6.5.1.1): the value's keys may be
 *   names, dotted or URN-qualified paths, or extension URNs holding objects (Entra quirk);
 *   `schemas` and readOnly keys are skipped (Okta quirk). A path-less replace of a complex
 *   attribute merges its sub-attributes (RFC 7644 §3.5.2.3). A path-less remove is noTarget
 *   (§3.5.2.2).
 * - Group `members` become {@link MemberOperation}s: add/replace with a value array, remove by
 *   `members[value eq "x"]` (or an `or` of those), by any other filter (`removeWhere`), with a
 *   value array (Entra quirk: exactly those, never all), or without value (`removeAll`).
 * - Values are coerced by `coerceAttributeValue` (Entra's "True"/"False", manager as a bare id;
 *   `""`/`{value:""}`/`null` unassign), and the result is re-checked by `validateDocument`.
 *   Extension attributes need their URN in strict mode (RFC 7644 §3.10); lenient mode also
 *   resolves an unqualified name that one extension defines (Entra's old `"path": "manager"`).
 * - `password` (writeOnly) is returned apart in {@link PatchResult.password}, never in `doc`.
 * - Errors name the operation (`Operations[2] (replace "active"): …`).
 * - Work is linear in the operations and values (issue #7): adds skip equal values and `eq`
 *   filters find their values through an index (value-index.ts); consecutive member adds (or
 *   removes) become one member operation. Operations that must visit every value
 *   (`emails.type`, `emails[type co "w"]`) may visit 200,000 values per request in all.
 *
 * @throws ScimError invalidSyntax: malformed body or operation, unknown `op`, a path-less
 *   operation in strict mode, an unknown attribute inside a value.
 * @throws ScimError invalidPath: a malformed or unknown path (the detail names it), a path into
 *   member sub-attributes. invalidFilter: a value filter naming an unknown sub-attribute.
 * @throws ScimError noTarget: a path-less remove; a filter matching nothing that cannot create.
 * @throws ScimError mutability: a path to a readOnly attribute (`id`, `meta`, `groups`), a change
 *   to an immutable value, removing a required attribute (`userName`, Group `displayName`).
 * @throws ScimError invalidValue: a value of the wrong type, several `primary: true`, more than
 *   200,000 values visited.
 */
export function applyPatch(
  body: unknown,
  doc: Readonly<Record<string, unknown>>,
  resourceType: ResourceTypeDefinition,
  quirks: QuirkOptions,
): PatchResult {
  const operations = readOperations(body)
  const state: State = {
    doc: structuredClone(doc) as Json,
    memberOps: [],
    password: undefined,
    resourceType,
    quirks,
    multiValued: new Map(),
    scanned: 0,
    lastMemberOp: undefined,
  }
  for (const operation of operations) {
    try {
      applyOperation(state, operation)
    } catch (error) {
      throw withOperationContext(error, operation)
    }
  }
  assertImmutableKept(doc, state.doc, resourceType)
  assertRequiredKept(doc, state.doc, resourceType)
  const validated = validateDocument(state.doc, resourceType, quirks).doc
  if (!Object.hasOwn(doc, 'schemas')) delete validated['schemas']
  const changed =
    state.memberOps.length > 0 || state.password !== undefined || !deepEqual(doc, state.doc)
  return {
    doc: validated,
    memberOps: state.memberOps,
    changed,
    ...(state.password === undefined ? {} : { password: state.password }),
  }
}

interface State {
  readonly doc: Json
  readonly memberOps: MemberOperation[]
  password: string | undefined
  readonly resourceType: ResourceTypeDefinition
  readonly quirks: QuirkOptions
  /**
   * Multi-valued attributes being worked on, by {@link slotKey}. An index's `values` is the very
   * array `doc` holds, owned by this PATCH; any other write replaces that array, which is how a
   * stale index is recognised.
   */
  readonly multiValued: Map<string, ValueIndex>
  /** Values of multi-valued attributes visited one by one so far (see {@link chargeScan}). */
  scanned: number
  /** The last member operation while it can absorb the next one (see pushMemberOp). */
  lastMemberOp: MergeableMemberOp | undefined
}

type MergeableMemberOp =
  | {
      readonly op: Extract<MemberOperation, { kind: 'add' }>
      readonly byValue: Map<string, number>
    }
  | { readonly op: Extract<MemberOperation, { kind: 'remove' }>; readonly seen: Set<string> }

interface Operation {
  readonly index: number
  readonly op: PatchOpName
  readonly path: string | undefined
  readonly hasValue: boolean
  readonly value: unknown
}

/** Where an operation lands, once its path is resolved. */
type Target =
  | { readonly kind: 'schemas'; readonly label: string }
  | { readonly kind: 'extension'; readonly schema: SchemaDefinition; readonly label: string }
  | {
      readonly kind: 'attribute'
      readonly resolved: ResolvedAttribute
      readonly filter?: Filter
      /** The sub-attribute after a value filter (`].value`). */
      readonly filterSub?: AttributeDefinition
      readonly label: string
    }

type AttributeTarget = Extract<Target, { kind: 'attribute' }>

/** How a target was named: by an operation's `path`, or by a key of a path-less value. */
type Origin = 'path' | 'pathless'

const BODY_EXAMPLE =
  '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], ' +
  '"Operations": [{"op": "replace", "path": "displayName", "value": "…"}]}'

// ---------------------------------------------------------------------------------------------
// Reading the body (RFC 7644 §3.5.2)

function readOperations(body: unknown): Operation[] {
  if (!isPlainObject(body)) {
    throw ScimError.invalidSyntax(
      `A PATCH body must be a JSON object such as ${BODY_EXAMPLE} (RFC 7644 §3.5.2), ` +
        `got ${describeValue(body)}.`,
    )
  }
  const schemas = getMember(body, 'schemas', 'the PATCH body')
  const hasPatchOpUrn =
    Array.isArray(schemas) &&
    schemas.some((urn) => typeof urn === 'string' && sameName(urn, PATCH_OP_URN))
  if (!hasPatchOpUrn) {
    throw ScimError.invalidSyntax(
      `A PATCH body must have "schemas": ["${PATCH_OP_URN}"] (RFC 7644 §3.5.2), ` +
        `got ${describeValue(schemas)}.`,
    )
  }
  const operations = getMember(body, 'Operations', 'the PATCH body')
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax(
      `A PATCH body must have a non-empty "Operations" array (RFC 7644 §3.5.2), ` +
        `got ${describeValue(operations)}.`,
    )
  }
  return operations.map(readOperation)
}

function readOperation(raw: unknown, index: number): Operation {
  const where = `Operations[${index}]`
  if (!isPlainObject(raw)) {
    throw ScimError.invalidSyntax(
      `${where} must be an object with "op", "path" and "value", got ${describeValue(raw)}.`,
    )
  }
  const opValue = getMember(raw, 'op', where)
  const op = normalizeOpName(opValue)
  if (op === undefined) {
    throw ScimError.invalidSyntax(
      `${where}: "op" must be "add", "replace" or "remove" (RFC 7644 §3.5.2), ` +
        `got ${describeValue(opValue)}.`,
    )
  }
  const pathValue = getMember(raw, 'path', where)
  if (pathValue !== undefined && pathValue !== null && typeof pathValue !== 'string') {
    throw ScimError.invalidSyntax(
      `${where}: "path" must be a string, got ${describeValue(pathValue)}.`,
    )
  }
  const value = getMember(raw, 'value', where)
  return {
    index,
    op,
    path: typeof pathValue === 'string' ? pathValue : undefined,
    hasValue: value !== undefined,
    value,
  }
}

/** Reads a member of a message object by name, case-insensitively (RFC 7643 §2.1). */
function getMember(object: Readonly<Json>, name: string, where: string): unknown {
  const keys = Object.keys(object).filter((key) => sameName(key, name))
  if (keys.length > 1) {
    const spellings = keys.map((key) => `"${key}"`).join(', ')
    throw ScimError.invalidSyntax(
      `${where} has "${name}" more than once (${spellings}); names are case-insensitive ` +
        '(RFC 7643 §2.1).',
    )
  }
  const key = keys[0]
  return key === undefined ? undefined : object[key]
}

function withOperationContext(error: unknown, operation: Operation): unknown {
  if (!(error instanceof ScimError)) return error
  const prefix = `Operations[${operation.index}]`
  if (error.detail.startsWith(prefix)) return error
  const path = operation.path === undefined ? '' : ` ${JSON.stringify(operation.path)}`
  const detail = `${prefix} (${operation.op}${path}): ${error.detail}`
  return new ScimError(error.status, detail, error.scimType, { cause: error })
}

// ---------------------------------------------------------------------------------------------
// Operations

function applyOperation(state: State, operation: Operation): void {
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

function resolveTarget(text: string, origin: Origin, state: State): Target {
  const { resourceType, quirks } = state
  const label = text.trim()
  const schema = findSchema(resourceType, label)
  if (schema !== undefined) {
    if (schema.isExtension) return { kind: 'extension', schema: schema.schema, label }
    throw ScimError.invalidPath(
      `"${label}" names the whole ${resourceType.name}; name one of its attributes instead.`,
    )
  }
  const parsed = origin === 'path' ? parsePatchPath(label) : parseValueKey(label, resourceType)
  const { uri, attr, sub } = parsed.path
  if (uri === undefined && sub === undefined && sameName(attr, 'schemas')) {
    if (parsed.filter !== undefined || parsed.sub !== undefined) {
      throw ScimError.invalidPath(`"${label}": "schemas" has no sub-attributes.`)
    }
    return { kind: 'schemas', label }
  }
  const resolved = resolveAttributePath(parsed.path, resourceType, {
    requireExtensionUri: quirks.strict,
  })
  if (resolved === undefined) throw unknownAttribute(label, origin, resourceType)
  if (parsed.filter === undefined) return { kind: 'attribute', resolved, label }
  const definition = resolved.definition
  if (definition.type !== 'complex' || !definition.multiValued) {
    throw ScimError.invalidPath(
      `"${label}": a value filter [...] applies to a multi-valued complex attribute such as ` +
        `emails; "${definition.name}" is not one.`,
    )
  }
  validateValueFilter(parsed.filter, definition)
  if (parsed.sub === undefined) {
    return { kind: 'attribute', resolved, filter: parsed.filter, label }
  }
  const filterSub = resolveSubAttribute(definition, parsed.sub)
  if (filterSub === undefined) throw unknownAttribute(label, origin, resourceType)
  return { kind: 'attribute', resolved, filter: parsed.filter, filterSub, label }
}

/** A key of a path-less value that is no valid path is an unknown attribute of the body. */
function parseValueKey(key: string, resourceType: ResourceTypeDefinition): PatchPath {
  try {
    return parsePatchPath(key)
  } catch (error) {
    if (error instanceof ScimError) throw unknownAttribute(key, 'pathless', resourceType)
    throw error
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

// ---------------------------------------------------------------------------------------------
// Whole attributes, sub-attributes, filtered values

function applyToAttribute(
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

/** The index of a multi-valued attribute, (re)built from `doc` when missing or stale. */
function valueIndexOf(state: State, resolved: ResolvedAttribute, name: string): ValueIndex {
  const key = slotKey(resolved, name)
  const known = state.multiValued.get(key)
  if (known !== undefined && containerOf(state.doc, resolved)?.[name] === known.values) return known
  // A fresh array, so changing it never touches the caller's document or body.
  const values = readArray(state.doc, resolved, name)
  chargeScan(state, values.length, name)
  const index = buildValueIndex(values)
  setValue(state.doc, resolved, name, values)
  state.multiValued.set(key, index)
  return index
}

/** Puts an index's values back into `doc` (an emptied attribute is unassigned, RFC 7643 §2.5). */
function commitValues(
  state: State,
  resolved: ResolvedAttribute,
  name: string,
  index: ValueIndex,
): void {
  if (containerOf(state.doc, resolved)?.[name] !== index.values) {
    setValue(state.doc, resolved, name, index.values)
  }
}

function slotKey(resolved: ResolvedAttribute, name: string): string {
  return `${resolved.isExtension ? resolved.schemaUrn : ''} ${name}`
}

/**
 * Most operations on a multi-valued attribute touch only the values they name, through its
 * {@link ValueIndex}; the others (`emails.type`, `emails[type co "w"]`) visit every value. Those
 * visits are counted over the request and capped, so a thousand such operations over a user with
 * tens of thousands of emails cannot hold the event loop for seconds (issue #7).
 */
function chargeScan(state: State, count: number, name: string): void {
  state.scanned += count
  if (state.scanned > MAX_SCANNED_VALUES) {
    throw ScimError.invalidValue(
      `This PATCH visits more than ${MAX_SCANNED_VALUES} values of multi-valued attributes ` +
        `("${name}" has ${count}). Send fewer operations per request, or address values with an ` +
        'equality filter such as emails[value eq "…"].',
    )
  }
}

const MAX_SCANNED_VALUES = 200_000

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
function applyToSubAttribute(
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

/** `emails[type eq "work"]` and `emails[type eq "work"].value` (RFC 7644 §3.5.2). */
function applyToFilteredValues(
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

// ---------------------------------------------------------------------------------------------
// Group members (never in the document)

function applyToMembers(
  state: State,
  op: PatchOpName,
  target: AttributeTarget,
  value: unknown,
  hasValue: boolean,
): void {
  const { resolved, filter, filterSub, label } = target
  if (resolved.sub !== undefined || filterSub !== undefined) {
    throw ScimError.invalidPath(
      `"${label}": member sub-attributes cannot be patched; add or remove whole members with ` +
        'path "members".',
    )
  }
  if (filter !== undefined) {
    if (op !== 'remove') {
      throw ScimError.invalidPath(
        `"${label}": to ${op} members use path "members" with a value array such as ` +
          '[{"value": "<id>"}].',
      )
    }
    const values = memberFilterValues(filter)
    pushMemberOp(
      state,
      values === undefined ? { kind: 'removeWhere', filter } : { kind: 'remove', values },
    )
    return
  }
  if (op === 'remove') {
    const listed = hasValue ? listedRemovalValues(value) : undefined
    if (listed === undefined) {
      pushMemberOp(state, { kind: 'removeAll' })
      return
    }
    const members = readMembers(state, resolved.definition, listed, label)
    const values = members.map((member) => member.value)
    if (values.length > 0) pushMemberOp(state, { kind: 'remove', values })
    return
  }
  const members = readMembers(state, resolved.definition, value, label)
  if (op === 'replace') pushMemberOp(state, { kind: 'replace', members })
  else if (members.length > 0) pushMemberOp(state, { kind: 'add', members })
}

/**
 * Appends a member operation, folding it into the previous one when both are adds (or both
 * removes): the store does the same work once, and 15,000 single-member adds (issue #7) become
 * one batched write instead of 15,000 round trips. Order across kinds is kept (add then remove
 * of a member is not a no-op for INTERNAL memberships, SPEC §1 G5).
 */
function pushMemberOp(state: State, next: MemberOperation): void {
  const last = state.lastMemberOp
  if (next.kind === 'add' && last !== undefined && 'byValue' in last) {
    const { members } = last.op
    for (const member of next.members) {
      const position = last.byValue.get(member.value)
      if (position === undefined) {
        last.byValue.set(member.value, members.length)
        members.push(member)
      } else if (members[position]?.type === undefined && member.type !== undefined) {
        // As within one operation (readMembers): the first explicit type wins.
        members[position] = member
      }
    }
    return
  }
  if (next.kind === 'remove' && last !== undefined && 'seen' in last) {
    for (const value of next.values) {
      if (last.seen.has(value)) continue
      last.seen.add(value)
      last.op.values.push(value)
    }
    return
  }
  if (next.kind === 'add') {
    const op = { kind: 'add' as const, members: [...next.members] }
    state.lastMemberOp = { op, byValue: new Map(op.members.map((m, i) => [m.value, i])) }
    state.memberOps.push(op)
  } else if (next.kind === 'remove') {
    const op = { kind: 'remove' as const, values: [...new Set(next.values)] }
    state.lastMemberOp = { op, seen: new Set(op.values) }
    state.memberOps.push(op)
  } else {
    state.lastMemberOp = undefined
    state.memberOps.push(next)
  }
}

function readMembers(
  state: State,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): MemberReference[] {
  const input = acceptBareMemberIds(value, label, state.quirks)
  const list = isPlainObject(input) ? [input] : input
  // Checked before coercion, which drops an element left empty (`{"$ref": null}`) silently.
  if (Array.isArray(list)) {
    list.forEach((item, index) => {
      if (isPlainObject(item) && !Object.keys(item).some((key) => sameName(key, 'value'))) {
        throw memberValueRequired(label, index)
      }
    })
  }
  const coerced = (coerceAttributeValue(definition, list, label, state.quirks) ?? []) as Json[]
  const byValue = new Map<string, MemberReference>()
  coerced.forEach((item, index) => {
    const id = item['value']
    if (typeof id !== 'string' || id.trim() === '') throw memberValueRequired(label, index)
    const type = memberType(item['type'], `${label}[${index}].type`)
    const known = byValue.get(id)
    const kind = known?.type ?? type
    byValue.set(id, kind === undefined ? { value: id } : { value: id, type: kind })
  })
  return [...byValue.values()]
}

function memberValueRequired(label: string, index: number): ScimError {
  return ScimError.invalidValue(
    `${label}[${index}].value is required: each member must carry the "id" of a User or Group.`,
  )
}

function memberType(raw: unknown, label: string): 'User' | 'Group' | undefined {
  if (raw === undefined) return undefined
  const lower = typeof raw === 'string' ? raw.toLowerCase() : undefined
  if (lower === 'user') return 'User'
  if (lower === 'group') return 'Group'
  throw ScimError.invalidValue(`${label} must be "User" or "Group", got ${describeValue(raw)}.`)
}

/**
 * The ids of `value eq "a"` or `value eq "a" or value eq "b"` (Okta, Entra with
 * aadOptscim062020); `undefined` for any other member filter.
 */
function memberFilterValues(filter: Filter): string[] | undefined {
  const values = new Set<string>()
  return collectMemberFilterValues(filter, values) ? [...values] : undefined
}

// Collects into one Set: copying at each `or` would be quadratic in a long chain of them.
function collectMemberFilterValues(filter: Filter, values: Set<string>): boolean {
  if (filter.kind === 'or') {
    return (
      collectMemberFilterValues(filter.left, values) &&
      collectMemberFilterValues(filter.right, values)
    )
  }
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    typeof filter.value === 'string' &&
    filter.path.uri === undefined &&
    filter.path.sub === undefined &&
    sameName(filter.path.attr, 'value')
  ) {
    values.add(filter.value)
    return true
  }
  return false
}

function isMembersAttribute(
  resourceType: ResourceTypeDefinition,
  resolved: ResolvedAttribute,
): boolean {
  return (
    resourceType.name === 'Group' && !resolved.isExtension && resolved.definition.name === 'members'
  )
}

function isPasswordAttribute(resolved: ResolvedAttribute): boolean {
  return !resolved.isExtension && resolved.definition.mutability === 'writeOnly'
}

// ---------------------------------------------------------------------------------------------
// Document access

function containerOf(doc: Json, resolved: ResolvedAttribute): Json | undefined {
  if (!resolved.isExtension) return doc
  const container = doc[resolved.schemaUrn]
  return isPlainObject(container) ? container : undefined
}

function readArray(doc: Json, resolved: ResolvedAttribute, name: string): Json[] {
  const value = containerOf(doc, resolved)?.[name]
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]).filter(isPlainObject)
}

function readObject(doc: Json, resolved: ResolvedAttribute, name: string): Json {
  const value = containerOf(doc, resolved)?.[name]
  return isPlainObject(value) ? value : {}
}

/** Sets an attribute; `undefined` or `[]` unassigns it (RFC 7643 §2.5). */
function setValue(doc: Json, resolved: ResolvedAttribute, name: string, value: unknown): void {
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
function deleteValue(doc: Json, resolved: ResolvedAttribute, name: string): void {
  const container = containerOf(doc, resolved)
  if (container === undefined) return
  delete container[name]
  if (resolved.isExtension && Object.keys(container).length === 0) delete doc[resolved.schemaUrn]
}

const LABEL_KEYS: ReadonlySet<string> = new Set(['type', 'primary', 'display'])

/** A value left with nothing but its label (`{ type: "work" }`) once a sub-attribute is gone. */
function isDataless(element: Json): boolean {
  return Object.keys(element).every((key) => LABEL_KEYS.has(key))
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

// ---------------------------------------------------------------------------------------------
// Whole-document checks

/** RFC 7643 §2.2 immutable: may be set once, never changed afterwards. */
function assertImmutableKept(
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
function assertRequiredKept(
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

// ---------------------------------------------------------------------------------------------
// Helpers

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** Structural equality of JSON values; object key order does not matter. */
function deepEqual(a: unknown, b: unknown): boolean {
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

function unknownAttribute(
  label: string,
  origin: Origin,
  resourceType: ResourceTypeDefinition,
): ScimError {
  const head = label.includes(':') ? undefined : label.split(/[.[]/)[0]
  const extension =
    head === undefined
      ? undefined
      : resourceType.extensions.find(({ schema }) =>
          schema.attributes.some((attribute) => sameName(attribute.name, head)),
        )
  const urn = extension?.schema.id
  const hint =
    urn === undefined
      ? ''
      : ` It is an attribute of the extension "${urn}": write "${urn}:${label}".`
  const detail =
    `Attribute "${label}" is not defined for ${resourceType.name} (see /Schemas).${hint} ` +
    'If your identity provider sends it from an attribute mapping, remove the mapping for ' +
    `"${label}" there (Microsoft Entra ID: Provisioning > Mappings).`
  // A path naming nothing is invalidPath (RFC 7644 §3.5.2); an unknown attribute inside a
  // value is invalidSyntax, like any unknown attribute of a body (interop profile §5.3).
  return origin === 'path' ? ScimError.invalidPath(detail) : ScimError.invalidSyntax(detail)
}
