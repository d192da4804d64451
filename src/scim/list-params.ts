// Query parameters of a SCIM list/search (RFC 7644 §3.4.2, §3.4.3): filter, sortBy, sortOrder,
// startIndex, count, attributes, excludedAttributes — parsed and clamped as the RFC says.
import { ScimError } from './errors.ts'
import type { AttributePath, Filter } from './filter/ast.ts'
import { parseFilter } from './filter/parser.ts'
import type { QuirkOptions } from './resources/quirks.ts'
import { splitUrnPath } from './schemas/resolve.ts'

export interface ListLimits {
  readonly maxResults: number
  readonly defaultPageSize: number
  readonly maxFilterLength: number
}

export interface ListParams {
  readonly filter: Filter | undefined
  readonly sortBy: AttributePath | undefined
  readonly sortOrder: 'ascending' | 'descending'
  readonly startIndex: number
  readonly count: number
}

function integerParam(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN
  const shown =
    typeof raw === 'string' ? `"${raw.slice(0, 40)}"` : String(JSON.stringify(raw)).slice(0, 40)
  if (!Number.isFinite(value) || !Number.isInteger(value)) {
    throw ScimError.invalidValue(`${name} must be an integer, got ${shown}`)
  }
  // Past 2^53 the value read is not the value sent, and no page starts or ends out there; the
  // store would be handed an OFFSET it cannot bind (RFC 7644 §3.4.2.4 sets no upper bound).
  if (!Number.isSafeInteger(value)) {
    throw ScimError.invalidValue(
      `${name} must be an integer between ${-Number.MAX_SAFE_INTEGER} and ` +
        `${Number.MAX_SAFE_INTEGER}, got ${shown}`,
    )
  }
  return value
}

function stringParam(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined
  if (Array.isArray(raw)) throw ScimError.invalidValue(`${name} must be given once`)
  if (typeof raw !== 'string') throw ScimError.invalidValue(`${name} must be a string`)
  return raw
}

/** Parses an attribute path such as `name.familyName` or `urn:…:User:manager.value`. */
export function parseAttributeName(raw: string): AttributePath {
  const text = raw.trim()
  if (text.toLowerCase().startsWith('urn:')) {
    const path = splitUrnPath(text)
    if (!path) throw ScimError.invalidValue(`"${raw}" is not an attribute path`)
    return path
  }
  const [attr, sub, extra] = text.split('.')
  if (!attr || extra !== undefined || sub === '') {
    throw ScimError.invalidValue(`"${raw}" is not an attribute path`)
  }
  return sub === undefined ? { attr } : { attr, sub }
}

/**
 * RFC 7644 §3.4.2.4: startIndex below 1 is read as 1; a negative count as 0; a count above the
 * server maximum is clamped to it (interop profile rule 28: a smaller page, not an error).
 * `quirks` decides which named filter quirks the filter may use (filter/quirks.ts).
 */
export function parseListParams(
  query: Record<string, unknown>,
  limits: ListLimits,
  quirks: QuirkOptions,
): ListParams {
  const filterText = stringParam('filter', query.filter)
  let filter: Filter | undefined
  if (filterText !== undefined && filterText.trim() !== '') {
    if (filterText.length > limits.maxFilterLength) {
      throw ScimError.invalidFilter(
        `The filter is ${filterText.length} characters long; the maximum is ${limits.maxFilterLength}.`,
      )
    }
    filter = parseFilter(filterText, { maxLength: limits.maxFilterLength, quirks })
  }
  const sortByText = stringParam('sortBy', query.sortBy)
  const sortOrderText = stringParam('sortOrder', query.sortOrder)
  let sortOrder: 'ascending' | 'descending' = 'ascending'
  if (sortOrderText !== undefined) {
    const lower = sortOrderText.toLowerCase()
    if (lower !== 'ascending' && lower !== 'descending') {
      throw ScimError.invalidValue(
        `sortOrder must be "ascending" or "descending", got "${sortOrderText}"`,
      )
    }
    sortOrder = lower
  }
  const startIndex = Math.max(1, integerParam('startIndex', query.startIndex) ?? 1)
  const requested = integerParam('count', query.count)
  const count = Math.min(limits.maxResults, Math.max(0, requested ?? limits.defaultPageSize))
  return {
    filter,
    sortBy:
      sortByText === undefined || sortByText.trim() === ''
        ? undefined
        : parseAttributeName(sortByText),
    sortOrder,
    startIndex,
    count,
  }
}
