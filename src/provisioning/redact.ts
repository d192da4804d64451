// Redaction of SCIM bodies for the provisioning log (SPEC §5): attributes that are never returned
// (RFC 7643 §2.2 `returned: never`, `writeOnly`: the User `password` of §4.1.1) never reach it.
// Names resolve as the SCIM handlers resolve them (scim/schemas/resolve.ts, PATCH path grammar).

import type { AttributePath } from '../scim/filter/ast.ts'
import { parsePatchPathResult } from '../scim/filter/parser.ts'
import { ALL_RESOURCE_TYPES } from '../scim/schemas/index.ts'
import { findSchema, resolveAttributePath, resolveSubAttribute } from '../scim/schemas/resolve.ts'
import type { AttributeDefinition } from '../scim/schemas/types.ts'

export const REDACTED = '[redacted]'
export const NESTED_TOO_DEEP = '[nested too deep]'
export const CUT_SHORT = '[truncated]'

/** Bounds of {@link redactScimValue}. */
export interface RedactOptions {
  /** Objects and arrays nested deeper than this become {@link NESTED_TOO_DEEP}. Default 64. */
  readonly maxDepth?: number
  /** Values visited before the rest is cut ({@link CUT_SHORT}). Default unbounded. */
  readonly maxNodes?: number
}

// Not SCIM attributes, but what other clients (and mistaken mappings) put secrets under.
const SECRET_WORD =
  /pass(?:word|wd|phrase)|secret|token|api[-_]?key|credential|private[-_]?key|authorization/i

const isSecretAttribute = (definition: AttributeDefinition | undefined): boolean =>
  definition !== undefined &&
  (definition.returned === 'never' || definition.mutability === 'writeOnly')

/**
 * Whether an attribute name or PATCH path, as a client writes it, names a secret: `password`,
 * `PassWord`, `urn:ietf:params:scim:schemas:core:2.0:User:password`, `password.x`,
 * `password[value eq "x"]`, or a secret-looking name (`client_secret`, `access_token`).
 * Resolved against every resource type, so it does not depend on the endpoint the body went to
 * (a /Bulk operation's data, a mistaken path). A whole schema URN is no secret: its inner keys are.
 */
export function isSecretName(raw: string): boolean {
  return secretKind(raw) !== undefined
}

type SecretKind = 'attribute' | 'word' | undefined

// Every logged body asks this of each of its keys, and the keys repeat from request to request
// (userName, emails, value…): resolving them once keeps redaction off the request's CPU budget.
// Bounded: a client inventing keys only empties the cache.
const KIND_CACHE = new Map<string, SecretKind>()
const KIND_CACHE_SIZE = 4096

/** `attribute`: resolves to a never-returned attribute; `word`: only looks like a secret. */
function secretKind(raw: string): SecretKind {
  const cached = KIND_CACHE.get(raw)
  if (cached !== undefined || KIND_CACHE.has(raw)) return cached
  const kind = resolveSecretKind(raw)
  if (KIND_CACHE.size >= KIND_CACHE_SIZE) KIND_CACHE.clear()
  KIND_CACHE.set(raw, kind)
  return kind
}

function resolveSecretKind(raw: string): SecretKind {
  const text = raw.trim()
  if (ALL_RESOURCE_TYPES.some((type) => findSchema(type, text) !== undefined)) return undefined
  const parsed = parsePatchPathResult(text)
  // Not a SCIM path (a Bulk path "/Users/…", a JSON key with spaces): only its words can tell.
  if (!parsed.ok) return SECRET_WORD.test(text) ? 'word' : undefined
  const { path, sub } = parsed.value
  if (namesSecretAttribute(path, sub)) return 'attribute'
  const names = [path.attr, path.sub, sub]
  return names.some((name) => name !== undefined && SECRET_WORD.test(name)) ? 'word' : undefined
}

function namesSecretAttribute(path: AttributePath, sub: string | undefined): boolean {
  return ALL_RESOURCE_TYPES.some((type) => {
    // The top-level attribute alone: `password.x` is no valid path but still carries a password.
    const resolved = resolveAttributePath(
      path.uri === undefined ? { attr: path.attr } : { uri: path.uri, attr: path.attr },
      type,
    )
    if (resolved === undefined) return false
    const definition = resolved.definition
    const inner = [path.sub, sub].map((name) =>
      name === undefined ? undefined : resolveSubAttribute(definition, name),
    )
    return isSecretAttribute(definition) || inner.some(isSecretAttribute)
  })
}

const sameName = (key: string, name: string): boolean => key.toLowerCase() === name

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A copy of a SCIM request or response body with every secret replaced by {@link REDACTED}.
 *
 * The walk does not trust the body's shape, so resources, PatchOp messages (RFC 7644 §3.5.2),
 * BulkRequests (§3.7) and anything else are covered alike: in every object, a key naming a secret
 * ({@link isSecretName}) has its value redacted, which covers path-less PATCH values
 * (`{"urn:…:core:2.0:User:password": "x"}`) and Bulk `data`; an object whose `path` (any case,
 * as Entra sends `Path`) names a secret has its `value` (any case) redacted.
 *
 * Never throws on deep input: past `maxDepth` a subtree becomes {@link NESTED_TOO_DEEP}, so the
 * recursion is bounded and the result is safe for `JSON.stringify`. The walk visits values in the
 * order `JSON.stringify` writes them and each adds at least one character, so a `maxNodes` above
 * the log's byte limit bounds the work without changing what the cut text shows.
 */
export function redactScimValue(value: unknown, options: RedactOptions = {}): unknown {
  const budget = { left: options.maxNodes ?? Number.POSITIVE_INFINITY }
  return walk(value, 0, options.maxDepth ?? 64, budget)
}

function walk(value: unknown, depth: number, maxDepth: number, budget: { left: number }): unknown {
  budget.left -= 1
  if (typeof value !== 'object' || value === null) return value
  if (depth >= maxDepth) return NESTED_TOO_DEEP
  if (Array.isArray(value)) {
    const items: unknown[] = []
    for (const item of value) {
      if (budget.left <= 0) {
        items.push(CUT_SHORT)
        break
      }
      items.push(walk(item, depth + 1, maxDepth, budget))
    }
    return items
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  const pathKey = keys.find((key) => sameName(key, 'path'))
  const path = pathKey === undefined ? undefined : record[pathKey]
  const targetsSecret = typeof path === 'string' && isSecretName(path)
  // Entries, not assignment: a "__proto__" key of parsed JSON stays a plain key.
  const entries: [string, unknown][] = []
  for (const key of keys) {
    if (budget.left <= 0) {
      entries.push([key, CUT_SHORT])
      break
    }
    const kind = secretKind(key)
    // A secret-looking key holding an object is walked instead (discovery's `changePassword`).
    const secret =
      kind === 'attribute' ||
      (kind === 'word' && !isPlainObject(record[key])) ||
      (targetsSecret && sameName(key, 'value'))
    if (secret) {
      budget.left -= 1
      entries.push([key, REDACTED])
    } else {
      entries.push([key, walk(record[key], depth + 1, maxDepth, budget)])
    }
  }
  return Object.fromEntries(entries)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function secretAttributeNames(definitions: readonly AttributeDefinition[]): string[] {
  return definitions.flatMap((definition) => [
    ...(isSecretAttribute(definition) ? [definition.name] : []),
    ...secretAttributeNames(definition.subAttributes ?? []),
  ])
}

// Every key the walk redacts spells a secret word or a never-returned attribute's name (a path
// or URN naming it contains the name): text without any of them has nothing to redact.
const MAY_NAME_SECRET = new RegExp(
  [
    SECRET_WORD.source,
    ...ALL_RESOURCE_TYPES.flatMap((type) =>
      [type.schema, ...type.extensions.map((e) => e.schema)].flatMap((schema) =>
        secretAttributeNames(schema.attributes).map(escapeRegExp),
      ),
    ),
  ].join('|'),
  'i',
)

/**
 * Whether {@link redactScimValue} could change the JSON `text` (as JSON.stringify writes it) in
 * any way, within `maxDepth`: false when no key can name a secret, no escape sequence can hide
 * one, and nothing nests that deep. Responses the server renders (reads above all) pass, so the
 * log keeps their text without parsing and walking it again. Conservative: true when unsure.
 */
export function mayNeedRedaction(text: string, maxDepth = 64): boolean {
  if (text.includes('\\u') || MAY_NAME_SECRET.test(text)) return true
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: the next character is escaped
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1
      if (depth >= maxDepth) return true
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1
    } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      // Not JSON.stringify's compact form: the walk would rewrite it.
      return true
    }
  }
  return false
}
