// Parser for filters (RFC 7644 §3.4.2.2, figure 1) and PATCH paths (RFC 7644 §3.5.2, `PATH`).
// Depth-bounded recursive descent: `and`/`or` chains are built iteratively (left-associative),
// so hostile input fails fast with invalidFilter instead of overflowing the stack.

import { ScimError } from '../errors.ts'
import { LENIENT_QUIRKS } from '../resources/quirks.ts'
import type { QuirkOptions } from '../resources/quirks.ts'
import { splitUrnPath } from '../schemas/resolve.ts'
import type { AttributePath, CompareOperator, Filter, FilterValue, PatchPath } from './ast.ts'
import { COMPARE_OPERATORS, quote, tokenize } from './lexer.ts'
import type { SyntaxProblem, Token } from './lexer.ts'
import { readUnquotedValue } from './quirks.ts'

/** Bounds on hostile input; every bound fails with invalidFilter (or invalidPath). */
export interface FilterLimits {
  /** Longest accepted text, in characters. Default 4096. */
  readonly maxLength?: number
  /** Deepest nesting of parentheses, `not (…)` and value paths `attr[…]`. Default 32. */
  readonly maxDepth?: number
  /** Most comparisons (`attr op value`, `attr pr`) in one filter. Default 200. */
  readonly maxTerms?: number
}

export const DEFAULT_FILTER_LIMITS: Required<FilterLimits> = {
  maxLength: 4096,
  maxDepth: 32,
  maxTerms: 200,
}

/** What {@link parseFilter} accepts: the bounds, and the tenant's quirk settings. */
export interface FilterOptions extends FilterLimits {
  /** Which named filter quirks (filter/quirks.ts) are accepted. Default: lenient, all of them. */
  readonly quirks?: QuirkOptions
}
const EXPECTED_OPERATOR = 'a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or pr'
const EXPECTED_VALUE = 'a value (a "quoted string", a number, true, false or null)'
// RFC 7644 figure 1: ATTRNAME = ALPHA *(nameChar); `$ref` is the one name spelled with `$`.
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i

type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SyntaxProblem }

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const fail = (position: number, message: string): { ok: false; error: SyntaxProblem } => ({
  ok: false,
  error: { position, message },
})

/**
 * Parses a `filter` (RFC 7644 §3.4.2.2) into a {@link Filter}: `eq ne co sw ew gt ge lt le pr`,
 * `and` over `or`, `not (…)`, parentheses, value paths `emails[type eq "work"]`, sub-attributes
 * and URN-prefixed paths. Keywords and literals `true`/`false`/`null` are case-insensitive;
 * attribute names keep the client's spelling (resolved later, scim/schemas/resolve.ts).
 *
 * Also accepts Entra's `emails[type eq "work"].value eq "x"` (a value path followed by a
 * sub-attribute, not in RFC 7644's filter grammar): it becomes
 * `emails[type eq "work" and value eq "x"]`, which means the same. Unless `options.quirks` is
 * strict, an unquoted value (`userName sw O`, `externalId eq 1234abc`) is read as a string
 * (filter/quirks.ts `readUnquotedValue`); `eq 12` stays a number.
 *
 * @throws ScimError invalidFilter, whose detail names the 1-based position: empty or too long
 *   text, bad tokens, missing operator or value, unbalanced parentheses or brackets, `not`
 *   without parentheses, nested value paths, trailing input, a limit exceeded, or (strict mode)
 *   an unquoted value.
 */
export function parseFilter(text: string, options: FilterOptions = {}): Filter {
  const result = parseFilterResult(text, options)
  if (!result.ok) throw ScimError.invalidFilter(result.error.message)
  return result.value
}

/**
 * Parses a PATCH `path` (RFC 7644 §3.5.2): `attrPath` or `valuePath [ "." subAttr ]`, e.g.
 * `name.familyName`, `members[value eq "2819c223"]`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`.
 *
 * @throws ScimError invalidPath, whose detail quotes the path and names the 1-based position.
 */
export function parsePatchPath(text: string, limits: FilterLimits = {}): PatchPath {
  const result = parsePatchPathResult(text, limits)
  if (!result.ok) {
    throw ScimError.invalidPath(`invalid path ${quote(text)}: ${result.error.message}`)
  }
  return result.value
}

/** {@link parseFilter} without throwing: the problem carries a 0-based position. */
export function parseFilterResult(text: string, options: FilterOptions = {}): Result<Filter> {
  const { quirks = LENIENT_QUIRKS, ...limits } = options
  const start = begin(text, limits, 'filter', quirks)
  if (!start.ok) return start
  const parser = start.value
  const filter = parseOr(parser, 0, false)
  if (!filter.ok) return filter
  const last = peek(parser)
  if (last.kind !== 'eof') {
    return unexpected(last, `and, or, or the end of the filter${bareValueHint(parser)}`)
  }
  return filter
}

/** {@link parsePatchPath} without throwing: the problem carries a 0-based position. */
export function parsePatchPathResult(text: string, limits: FilterLimits = {}): Result<PatchPath> {
  // No unquoted values in PATCH paths: the clients that send them in filters quote them there.
  const start = begin(text, limits, 'path', undefined)
  if (!start.ok) return start
  const parser = start.value
  const head = next(parser)
  if (head.kind !== 'word') return unexpected(head, 'an attribute name')
  const path = toPath(head)
  if (!path.ok) return path
  if (peek(parser).kind !== '[') {
    const end = peek(parser)
    return end.kind === 'eof'
      ? ok({ path: path.value })
      : unexpected(end, '"[" or the end of the path')
  }
  const filter = parseValueFilter(parser, head, path.value, 0)
  if (!filter.ok) return filter
  const after = next(parser)
  if (after.kind === 'eof') return ok({ path: path.value, filter: filter.value })
  if (after.kind !== '.') {
    return unexpected(after, '"." and a sub-attribute, or the end of the path')
  }
  const sub = parseSubAttribute(parser)
  if (!sub.ok) return sub
  const end = peek(parser)
  if (end.kind !== 'eof') return unexpected(end, 'the end of the path')
  return ok({ path: path.value, filter: filter.value, sub: sub.value })
}

interface Parser {
  readonly tokens: readonly Token[]
  index: number
  terms: number
  readonly limits: Required<FilterLimits>
  /** The quirk settings for unquoted values; undefined where they are never accepted (paths). */
  readonly quirks: QuirkOptions | undefined
}

function begin(
  text: string,
  limits: FilterLimits,
  what: 'filter' | 'path',
  quirks: QuirkOptions | undefined,
): Result<Parser> {
  const bounds = { ...DEFAULT_FILTER_LIMITS, ...withoutUndefined(limits) }
  if (text.length > bounds.maxLength) {
    return fail(bounds.maxLength, `${what} is longer than ${bounds.maxLength} characters`)
  }
  if (text.trim() === '') return fail(0, `${what} is empty`)
  const lexed = tokenize(text)
  if (!lexed.ok) return lexed
  return ok({ tokens: lexed.tokens, index: 0, terms: 0, limits: bounds, quirks })
}

function withoutUndefined(limits: FilterLimits): FilterLimits {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined))
}

function peek(parser: Parser, offset = 0): Token {
  const tokens = parser.tokens
  return tokens[Math.min(parser.index + offset, tokens.length - 1)] as Token
}

function next(parser: Parser): Token {
  const token = peek(parser)
  if (token.kind !== 'eof') parser.index += 1
  return token
}

function isKeyword(token: Token, keyword: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === keyword
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'word':
    case 'bare':
      return quote(token.text)
    case 'string':
      return JSON.stringify(token.value.length > 40 ? `${token.value.slice(0, 40)}…` : token.value)
    case 'number':
      return quote(token.text)
    case 'eof':
      return 'end of input'
    default:
      return quote(token.kind)
  }
}

function unexpected(token: Token, expected: string): { ok: false; error: SyntaxProblem } {
  const where = `at position ${token.start + 1}`
  const what =
    token.kind === 'eof'
      ? `unexpected end of input ${where}`
      : `unexpected ${describeToken(token)} ${where}`
  return fail(token.start, `${what}: expected ${expected}`)
}

// An unquoted value ends at a space, so `familyName eq Van Dyke` fails on `Dyke`: say why.
function bareValueHint(parser: Parser): string {
  const previous = parser.tokens[parser.index - 1]
  const next = peek(parser)
  const continuesValue = next.kind === 'word' || next.kind === 'bare' || next.kind === 'number'
  return previous?.kind === 'bare' && continuesValue ? ' (quote a value that contains spaces)' : ''
}

function tooDeep(parser: Parser, token: Token): { ok: false; error: SyntaxProblem } {
  return fail(
    token.start,
    `nesting deeper than ${parser.limits.maxDepth} levels at position ${token.start + 1}`,
  )
}

// orExpr := andExpr ("or" andExpr)*  — a loop, so a chain of N `or` costs no stack.
function parseOr(parser: Parser, depth: number, inValue: boolean): Result<Filter> {
  const first = parseAnd(parser, depth, inValue)
  if (!first.ok) return first
  let left = first.value
  while (isKeyword(peek(parser), 'or')) {
    next(parser)
    const right = parseAnd(parser, depth, inValue)
    if (!right.ok) return right
    left = { kind: 'or', left, right: right.value }
  }
  return ok(left)
}

// andExpr := unary ("and" unary)*  — `and` binds tighter than `or` (RFC 7644 §3.4.2.2).
function parseAnd(parser: Parser, depth: number, inValue: boolean): Result<Filter> {
  const first = parseUnary(parser, depth, inValue)
  if (!first.ok) return first
  let left = first.value
  while (isKeyword(peek(parser), 'and')) {
    next(parser)
    const right = parseUnary(parser, depth, inValue)
    if (!right.ok) return right
    left = { kind: 'and', left, right: right.value }
  }
  return ok(left)
}

// unary := "not" "(" filter ")" / "(" filter ")" / attrExp / valuePath
function parseUnary(parser: Parser, depth: number, inValue: boolean): Result<Filter> {
  const token = peek(parser)
  if (token.kind === '(') {
    return parseGroup(parser, depth, inValue)
  }
  if (isKeyword(token, 'not')) {
    next(parser)
    if (peek(parser).kind !== '(') {
      return unexpected(peek(parser), '"(" after "not" (write not (…))')
    }
    const inner = parseGroup(parser, depth, inValue)
    if (!inner.ok) return inner
    return ok({ kind: 'not', filter: inner.value })
  }
  if (token.kind === 'word') return parseAttributeExpression(parser, depth, inValue)
  return unexpected(token, 'an attribute name, "(" or not')
}

function parseGroup(parser: Parser, depth: number, inValue: boolean): Result<Filter> {
  const open = next(parser)
  if (depth + 1 > parser.limits.maxDepth) return tooDeep(parser, open)
  const inner = parseOr(parser, depth + 1, inValue)
  if (!inner.ok) return inner
  const close = peek(parser)
  if (close.kind !== ')') {
    return unexpected(
      close,
      `and, or, or ")" to close the "(" at position ${open.start + 1}${bareValueHint(parser)}`,
    )
  }
  next(parser)
  return inner
}

function parseAttributeExpression(parser: Parser, depth: number, inValue: boolean): Result<Filter> {
  const head = next(parser) as Token & { kind: 'word' }
  const path = toPath(head)
  if (!path.ok) return path
  if (inValue && (path.value.uri !== undefined || path.value.sub !== undefined)) {
    return fail(
      head.start,
      `${quote(head.text)} at position ${head.start + 1}: inside [ ] name a sub-attribute of the attribute before "[" (e.g. type or value)`,
    )
  }
  if (peek(parser).kind === '[') {
    if (inValue) {
      const open = peek(parser)
      return fail(
        open.start,
        `nested value filter at position ${open.start + 1}: a value filter cannot contain another "["`,
      )
    }
    const filter = parseValueFilter(parser, head, path.value, depth)
    if (!filter.ok) return filter
    if (peek(parser).kind === '.') {
      return parseEntraValuePathComparison(parser, path.value, filter.value)
    }
    return ok({ kind: 'valuePath', path: path.value, filter: filter.value })
  }
  return parseComparison(parser, path.value)
}

// attr op value / attr pr
function parseComparison(parser: Parser, path: AttributePath): Result<Filter> {
  const operator = next(parser)
  if (isKeyword(operator, 'pr')) {
    const counted = countTerm(parser, operator)
    if (!counted.ok) return counted
    return ok({ kind: 'present', path })
  }
  if (operator.kind !== 'word' || !COMPARE_OPERATORS.has(operator.text.toLowerCase())) {
    return unexpected(operator, EXPECTED_OPERATOR)
  }
  const op = operator.text.toLowerCase() as CompareOperator
  const value = parseValue(parser, operator)
  if (!value.ok) return value
  const counted = countTerm(parser, operator)
  if (!counted.ok) return counted
  return ok({ kind: 'compare', path, op, value: value.value })
}

function parseValue(parser: Parser, operator: Token & { kind: 'word' }): Result<FilterValue> {
  const token = next(parser)
  switch (token.kind) {
    case 'string':
    case 'number':
      return ok(token.value)
    case 'word': {
      const literal = token.text.toLowerCase()
      if (literal === 'true') return ok(true)
      if (literal === 'false') return ok(false)
      if (literal === 'null') return ok(null)
      break
    }
    case 'bare':
      if (parser.quirks === undefined) break
      return readUnquotedValue(token.text, token.start, parser.quirks)
    case 'eof':
      return fail(
        token.start,
        `missing value after ${quote(operator.text)} at position ${token.start + 1}: expected ${EXPECTED_VALUE}`,
      )
  }
  return unexpected(token, EXPECTED_VALUE)
}

function countTerm(parser: Parser, token: Token): Result<true> {
  parser.terms += 1
  if (parser.terms > parser.limits.maxTerms) {
    return fail(
      token.start,
      `more than ${parser.limits.maxTerms} comparisons at position ${token.start + 1}`,
    )
  }
  return ok(true)
}

// valuePath := attrPath "[" valFilter "]"; the next token is "[".
function parseValueFilter(
  parser: Parser,
  head: Token & { kind: 'word' },
  path: AttributePath,
  depth: number,
): Result<Filter> {
  const open = next(parser)
  if (path.sub !== undefined) {
    return fail(
      open.start,
      `"[" at position ${open.start + 1}: a value filter follows a multi-valued attribute (e.g. emails[…]), not the sub-attribute ${quote(head.text)}`,
    )
  }
  if (depth + 1 > parser.limits.maxDepth) return tooDeep(parser, open)
  const filter = parseOr(parser, depth + 1, true)
  if (!filter.ok) return filter
  const close = peek(parser)
  if (close.kind !== ']') {
    return unexpected(
      close,
      `and, or, or "]" to close the "[" at position ${open.start + 1}${bareValueHint(parser)}`,
    )
  }
  next(parser)
  return filter
}

function parseSubAttribute(parser: Parser): Result<string> {
  const token = next(parser)
  if (token.kind !== 'word' || !ATTRIBUTE_NAME.test(token.text)) {
    return unexpected(token, 'a sub-attribute name after "."')
  }
  return ok(token.text)
}

// Entra filters on its matching attribute as `emails[type eq "work"].value eq "x"` (Entra
// provisioning, "matching attribute"). RFC 7644's filter grammar has no `valuePath.sub op value`;
// it means "some element matches the value filter and its sub-attribute matches", i.e.
// `emails[type eq "work" and value eq "x"]`.
function parseEntraValuePathComparison(
  parser: Parser,
  path: AttributePath,
  filter: Filter,
): Result<Filter> {
  next(parser)
  const sub = parseSubAttribute(parser)
  if (!sub.ok) return sub
  const comparison = parseComparison(parser, { attr: sub.value })
  if (!comparison.ok) return comparison
  return ok({
    kind: 'valuePath',
    path,
    filter: { kind: 'and', left: filter, right: comparison.value },
  })
}

function toPath(token: Token & { kind: 'word' }): Result<AttributePath> {
  const path = splitUrnPath(token.text)
  const names = path === undefined ? [] : [path.attr, ...(path.sub === undefined ? [] : [path.sub])]
  if (path === undefined || !names.every((name) => ATTRIBUTE_NAME.test(name))) {
    return fail(
      token.start,
      `invalid attribute path ${quote(token.text)} at position ${token.start + 1}: expected attribute, attribute.subAttribute or urn:…:attribute`,
    )
  }
  return ok(path)
}
