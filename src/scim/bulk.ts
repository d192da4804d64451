// RFC 7644 §3.7 /Bulk, the protocol half: reading and validating a BulkRequest (§3.7, §3.7.4),
// "bulkId:" references and their substitution (§3.7.2), and the processing order that creates a
// resource before anything references it, refusing circular references with 409 (§3.7.1).
import { ScimError } from './errors.ts'
import { BULK_REQUEST_URN } from './schemas/index.ts'

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export type BulkEndpoint = '/Users' | '/Groups'

const BULK_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE']
const BULK_ENDPOINTS: readonly string[] = ['/Users', '/Groups']
const BULK_ID_REFERENCE = /^bulkId:(.+)$/s

/** An operation of the request that is well formed and may run. */
export interface ValidBulkOperation {
  readonly kind: 'valid'
  /** Position in the request's Operations (0-based); results are reported in this order. */
  readonly index: number
  readonly method: BulkMethod
  /** Declared by a POST so later operations can reference the new resource. */
  readonly bulkId: string | undefined
  readonly endpoint: BulkEndpoint
  /** The target of PUT, PATCH and DELETE, possibly a "bulkId:…" reference; undefined for POST. */
  readonly id: string | undefined
  /** The entity tag the client expects (sent on as If-Match); ignored for POST. */
  readonly version: string | undefined
  /** The body of the equivalent single request; undefined for DELETE. */
  readonly data: unknown
  /** The bulkIds referenced by the path or the data, each once, in order of appearance. */
  readonly references: readonly string[]
}

/** An operation that fails without running; the error is reported as its result. */
export interface InvalidBulkOperation {
  readonly kind: 'invalid'
  readonly index: number
  /** The method as sent, when it was a string (echoed in the response). */
  readonly method: string | undefined
  readonly bulkId: string | undefined
  readonly error: ScimError
}

export type BulkOperation = ValidBulkOperation | InvalidBulkOperation

export interface BulkRequest {
  /** Stop after this many failed operations; undefined runs every operation. */
  readonly failOnErrors: number | undefined
  /** In request order. */
  readonly operations: readonly BulkOperation[]
}

export interface BulkRequestLimits {
  readonly maxOperations: number
}

/** Bulk references resolved against the ids created so far (see {@link resolveBulkOperation}). */
export type ResolvedBulkOperation =
  | { readonly kind: 'resolved'; readonly id: string | undefined; readonly data: unknown }
  | { readonly kind: 'unresolved'; readonly error: ScimError }

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** RFC 7643 §2.1: attribute names are case-insensitive; an exact match wins. */
function field(source: JsonObject, name: string): unknown {
  if (Object.hasOwn(source, name)) return source[name]
  const lower = name.toLowerCase()
  const key = Object.keys(source).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : source[key]
}

/**
 * Reads a BulkRequest body (RFC 7644 §3.7). Request-level problems throw; a malformed operation
 * does not, it becomes an {@link InvalidBulkOperation} so the others still run.
 *
 * @throws ScimError 400 `invalidSyntax` when the body is not an object, lacks the BulkRequest
 *   schema or has no Operations array; 400 `invalidValue` for an empty Operations or a
 *   failOnErrors that is not an integer ≥ 1; 413 when Operations exceeds `maxOperations` (§3.7.4).
 */
export function parseBulkRequest(body: unknown, limits: BulkRequestLimits): BulkRequest {
  if (!isObject(body)) throw ScimError.invalidSyntax('The bulk request body must be a JSON object.')
  const schemas = field(body, 'schemas')
  if (!Array.isArray(schemas) || !schemas.includes(BULK_REQUEST_URN)) {
    throw ScimError.invalidSyntax(`A bulk request must list "${BULK_REQUEST_URN}" in schemas.`)
  }
  const operations = field(body, 'Operations')
  if (!Array.isArray(operations)) {
    throw ScimError.invalidSyntax('A bulk request needs an Operations array.')
  }
  if (operations.length === 0) {
    throw ScimError.invalidValue('Operations is empty: send at least one operation.')
  }
  if (operations.length > limits.maxOperations) {
    throw ScimError.payloadTooLarge(
      `The bulk request has ${operations.length} operations; this server accepts at most ` +
        `${limits.maxOperations} (maxOperations in /ServiceProviderConfig). ` +
        'Split it into smaller requests.',
    )
  }
  const failOnErrors = field(body, 'failOnErrors')
  if (
    failOnErrors !== undefined &&
    failOnErrors !== null &&
    !(typeof failOnErrors === 'number' && Number.isInteger(failOnErrors) && failOnErrors >= 1)
  ) {
    throw ScimError.invalidValue(
      `failOnErrors must be an integer of at least 1 (got ${JSON.stringify(failOnErrors)}).`,
    )
  }
  return {
    failOnErrors: typeof failOnErrors === 'number' ? failOnErrors : undefined,
    operations: operations.map((raw, index) => parseBulkOperation(raw, index)),
  }
}

/**
 * Validates one entry of Operations (RFC 7644 §3.7): method (any case), path (`/Users`,
 * `/Groups` for POST; `/Users/{id}`, `/Groups/{id}` otherwise, the id possibly "bulkId:…"),
 * bulkId (required for POST), version and data (required for POST, PUT and PATCH). Never throws.
 */
export function parseBulkOperation(raw: unknown, index: number): BulkOperation {
  const invalid = (error: ScimError, method?: unknown, bulkId?: unknown): InvalidBulkOperation => ({
    kind: 'invalid',
    index,
    method: typeof method === 'string' ? method : undefined,
    bulkId: typeof bulkId === 'string' ? bulkId : undefined,
    error,
  })
  const where = `Operations[${index}]`
  if (!isObject(raw)) return invalid(ScimError.invalidSyntax(`${where} must be an object.`))
  const rawMethod = field(raw, 'method')
  const bulkId = field(raw, 'bulkId')
  const fail = (error: ScimError) => invalid(error, rawMethod, bulkId)

  if (typeof rawMethod !== 'string') {
    return fail(
      ScimError.invalidSyntax(`${where}: method is required (POST, PUT, PATCH or DELETE).`),
    )
  }
  const method = rawMethod.toUpperCase()
  if (!BULK_METHODS.includes(method)) {
    return fail(
      ScimError.invalidValue(
        `${where}: method "${rawMethod}" is not allowed in a bulk request; ` +
          'use POST, PUT, PATCH or DELETE.',
      ),
    )
  }
  if (bulkId !== undefined && bulkId !== null && (typeof bulkId !== 'string' || bulkId === '')) {
    return fail(ScimError.invalidSyntax(`${where}: bulkId must be a non-empty string.`))
  }
  if (method === 'POST' && typeof bulkId !== 'string') {
    return fail(
      ScimError.invalidSyntax(`${where}: bulkId is required when method is POST (RFC 7644 §3.7).`),
    )
  }

  const path = field(raw, 'path')
  if (typeof path !== 'string') {
    return fail(
      ScimError.invalidSyntax(`${where}: path is required, e.g. "/Users" or "/Users/{id}".`),
    )
  }
  const target = parseBulkPath(path)
  if (target === undefined) {
    return fail(
      ScimError.invalidPath(
        `${where}: path "${path}" is not a resource of this server; use /Users, /Groups, ` +
          '/Users/{id} or /Groups/{id}.',
      ),
    )
  }
  if (method === 'POST' && target.id !== undefined) {
    return fail(
      ScimError.invalidPath(
        `${where}: a POST path names a resource type endpoint (${target.endpoint}), ` +
          'not one resource.',
      ),
    )
  }
  if (method !== 'POST' && target.id === undefined) {
    return fail(
      ScimError.invalidPath(
        `${where}: a ${method} path names one resource, e.g. ${target.endpoint}/{id}.`,
      ),
    )
  }

  const version = field(raw, 'version')
  if (version !== undefined && version !== null && typeof version !== 'string') {
    return fail(ScimError.invalidSyntax(`${where}: version must be an entity tag string.`))
  }
  const data = method === 'DELETE' ? undefined : field(raw, 'data')
  if (method !== 'DELETE' && !isObject(data)) {
    return fail(
      ScimError.invalidSyntax(`${where}: data (a JSON object) is required for ${method}.`),
    )
  }

  const references = new Set<string>()
  const pathReference = target.id === undefined ? undefined : bulkIdReferenceOf(target.id)
  if (pathReference !== undefined) references.add(pathReference)
  for (const reference of findBulkIdReferences(data)) references.add(reference)
  return {
    kind: 'valid',
    index,
    method: method as BulkMethod,
    bulkId: typeof bulkId === 'string' ? bulkId : undefined,
    endpoint: target.endpoint,
    id: target.id,
    version: typeof version === 'string' ? version : undefined,
    data,
    references: [...references],
  }
}

/** `/Users` → the endpoint; `/Users/{id}` → endpoint and (percent-decoded) id; else undefined. */
export function parseBulkPath(
  path: string,
): { readonly endpoint: BulkEndpoint; readonly id: string | undefined } | undefined {
  const match = /^(\/[^/?#]+)(?:\/([^/?#]+))?$/.exec(path)
  const endpoint = match?.[1]
  if (match === null || endpoint === undefined || !BULK_ENDPOINTS.includes(endpoint))
    return undefined
  const rawId = match[2]
  if (rawId === undefined) return { endpoint: endpoint as BulkEndpoint, id: undefined }
  try {
    return { endpoint: endpoint as BulkEndpoint, id: decodeURIComponent(rawId) }
  } catch {
    return undefined
  }
}

/** `"bulkId:qwerty"` → `"qwerty"`; any other value → undefined (RFC 7644 §3.7.2). */
export function bulkIdReferenceOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return BULK_ID_REFERENCE.exec(value)?.[1]
}

/**
 * The bulkIds referenced anywhere in a value: every string that is exactly "bulkId:<id>", at any
 * depth of objects and arrays (group members, the enterprise manager, PATCH values). Each once,
 * in order of appearance.
 */
export function findBulkIdReferences(value: unknown): string[] {
  const found = new Set<string>()
  const walk = (node: unknown): void => {
    const reference = bulkIdReferenceOf(node)
    if (reference !== undefined) found.add(reference)
    else if (Array.isArray(node)) node.forEach(walk)
    else if (isObject(node)) Object.values(node).forEach(walk)
  }
  walk(value)
  return [...found]
}

/**
 * A copy of `value` with every "bulkId:<id>" string whose id is in `ids` replaced by the
 * permanent resource id (RFC 7644 §3.7.2). Other values, and references not in `ids`, are kept.
 * The input is not modified.
 */
export function substituteBulkIds(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  const reference = bulkIdReferenceOf(value)
  if (reference !== undefined) return ids.get(reference) ?? value
  if (Array.isArray(value)) return value.map((item) => substituteBulkIds(item, ids))
  if (isObject(value)) {
    // fromEntries defines own properties, so a "__proto__" key stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteBulkIds(item, ids)]),
    )
  }
  return value
}

function declaresBulkId(operation: BulkOperation): boolean {
  return operation.bulkId !== undefined && operation.method?.toUpperCase() === 'POST'
}

/**
 * Decides the processing order (RFC 7644 §3.7: the service provider may reorder as long as the
 * client's intent is kept). Operations run in request order, except that a POST whose bulkId is
 * referenced is moved just before the first operation that needs it, so the two examples of
 * §3.7.2 succeed whichever comes first. Static failures become {@link InvalidBulkOperation}s:
 *
 * - a second POST with a bulkId already declared: 400 `invalidValue` (bulkIds are unique);
 * - a reference to a bulkId no POST declares: 400 `invalidValue`;
 * - operations whose references form a cycle (including a POST referencing its own bulkId):
 *   409 Conflict naming the cycle (§3.7.1 allows 409 instead of resolving it).
 *
 * A reference to a POST that is itself invalid is left to {@link resolveBulkOperation}, which
 * answers 409 when that POST has not produced an id. Returns every operation exactly once.
 */
export function planBulkOperations(operations: readonly BulkOperation[]): BulkOperation[] {
  const planned = [...operations]
  const declaredBy = new Map<string, number>()
  operations.forEach((operation, position) => {
    if (!declaresBulkId(operation) || operation.bulkId === undefined) return
    const first = declaredBy.get(operation.bulkId)
    if (first === undefined) {
      declaredBy.set(operation.bulkId, position)
    } else if (operation.kind === 'valid') {
      planned[position] = invalidated(
        operation,
        ScimError.invalidValue(
          `bulkId "${operation.bulkId}" is already declared by ` +
            `Operations[${operations[first]?.index}]; ` +
            'each POST needs its own bulkId.',
        ),
      )
    }
  })

  const dependencies = planned.map((operation, position): number[] => {
    if (operation.kind === 'invalid') return []
    const unknown = operation.references.filter((reference) => !declaredBy.has(reference))
    if (unknown.length > 0) {
      planned[position] = invalidated(
        operation,
        ScimError.invalidValue(
          `Operations[${operation.index}] references ${referenceList(unknown)}, ` +
            'but no POST operation in this bulk request declares that bulkId (RFC 7644 §3.7.2).',
        ),
      )
      return []
    }
    return [
      ...new Set(operation.references.flatMap((reference) => declaredBy.get(reference) ?? [])),
    ]
  })

  // Depth-first, roots in request order, dependencies emitted before their dependants. Meeting an
  // operation that is still on the stack closes a cycle: every operation from it to the top of
  // the stack is part of it.
  const state = planned.map(() => 0 as 0 | 1 | 2)
  const stack: number[] = []
  const cycleErrors = new Map<number, ScimError>()
  const order: number[] = []
  const visit = (position: number): void => {
    state[position] = 1
    stack.push(position)
    for (const dependency of dependencies[position] ?? []) {
      if (state[dependency] === 0) visit(dependency)
      else if (state[dependency] === 1) markCycle(stack.slice(stack.indexOf(dependency)))
    }
    stack.pop()
    state[position] = 2
    order.push(position)
  }
  const markCycle = (cycle: readonly number[]): void => {
    const bulkIds = cycle.map((position) => `"${planned[position]?.bulkId ?? '?'}"`)
    const chain = [...bulkIds, bulkIds[0]].join(' → ')
    const error = new ScimError(
      409,
      `Circular bulkId references (${chain}): none of these resources can be created before the ` +
        'others. Create them without the references, then add the references with PATCH ' +
        '(RFC 7644 §3.7.1).',
    )
    for (const position of cycle) if (!cycleErrors.has(position)) cycleErrors.set(position, error)
  }
  planned.forEach((_, position) => {
    if (state[position] === 0) visit(position)
  })

  return order.map((position) => {
    const operation = planned[position] as BulkOperation
    const error = cycleErrors.get(position)
    return error === undefined || operation.kind === 'invalid'
      ? operation
      : invalidated(operation, error)
  })
}

function referenceList(bulkIds: readonly string[]): string {
  return bulkIds.map((bulkId) => `"bulkId:${bulkId}"`).join(', ')
}

function invalidated(operation: ValidBulkOperation, error: ScimError): InvalidBulkOperation {
  return {
    kind: 'invalid',
    index: operation.index,
    method: operation.method,
    bulkId: operation.bulkId,
    error,
  }
}

/**
 * Replaces the bulkId references of an operation's path and data by the ids that the POSTs run so
 * far created (`created`: bulkId → resource id), just before the operation runs (RFC 7644 §3.7.2).
 * A reference whose POST failed or did not run is `unresolved`: 409 Conflict, as the operation
 * depends on a resource that does not exist.
 */
export function resolveBulkOperation(
  operation: ValidBulkOperation,
  created: ReadonlyMap<string, string>,
): ResolvedBulkOperation {
  const missing = operation.references.filter((reference) => !created.has(reference))
  if (missing.length > 0) {
    return {
      kind: 'unresolved',
      error: new ScimError(
        409,
        `Operations[${operation.index}] references ${referenceList(missing)}, ` +
          'whose POST operation did not succeed, so this operation was not carried out.',
      ),
    }
  }
  const pathReference = bulkIdReferenceOf(operation.id)
  return {
    kind: 'resolved',
    id: pathReference === undefined ? operation.id : created.get(pathReference),
    data:
      operation.references.length === 0
        ? operation.data
        : substituteBulkIds(operation.data, created),
  }
}
