// Hot statements compiled once per query shape and run again with fresh values: Kysely builds
// and compiles a query afresh on every call, which costs more than an indexed lookup itself.
// A shape is built once with placeholder values; the compiled SQL is kept, and each run binds
// the caller's values where the placeholders ended up among the compiled parameters.
import type { Compilable, CompiledQuery, Kysely } from 'kysely'

// Placeholders survive the one rewrite builders apply to values (the JS toLowerCase() folding
// of *_norm comparisons, see filter/compare.ts), and are told apart from it by their case.
const TEXT_MARK = '\u0001RollcallParam'
const FOLDED_MARK = TEXT_MARK.toLowerCase()
const TEXT_PLACEHOLDER = new RegExp(`^${TEXT_MARK}(\\d+)\u0001$`, 'i')
// Placeholders of numbers (LIMIT): values no caller binds.
const NUMBER_BASE = -7_340_000_000_000

/** Hands out placeholders to the query builder; each stands for one value of a run, by index. */
export interface Placeholders {
  /** A text value: the run's `values[index]` (folded as the builder folded the placeholder). */
  text(index: number): string
  /** A number value (LIMIT, OFFSET): the run's `values[index]`. */
  number(index: number): number
}

type Slot =
  | { readonly kind: 'constant'; readonly value: unknown }
  | { readonly kind: 'value'; readonly index: number; readonly folded: boolean }

const placeholders: Placeholders = {
  text: (index) => `${TEXT_MARK}${index}\u0001`,
  number: (index) => NUMBER_BASE - index,
}

function slotOf(parameter: unknown): Slot | undefined {
  if (typeof parameter === 'number' && parameter <= NUMBER_BASE && parameter > NUMBER_BASE - 1e6) {
    return { kind: 'value', index: NUMBER_BASE - parameter, folded: false }
  }
  if (typeof parameter !== 'string' || !parameter.includes('\u0001')) {
    return { kind: 'constant', value: parameter }
  }
  const match = TEXT_PLACEHOLDER.exec(parameter)
  if (!match?.[1]) return undefined
  const folded = parameter.startsWith(FOLDED_MARK)
  // Only the two spellings are known rewrites; anything else (a LIKE pattern around it) is not.
  if (!folded && !parameter.startsWith(TEXT_MARK)) return undefined
  return { kind: 'value', index: Number(match[1]), folded }
}

/** A compiled statement and where each run's values go among its parameters. */
export class PreparedQuery<Row> {
  private constructor(
    private readonly compiled: CompiledQuery<Row>,
    private readonly slots: readonly Slot[],
  ) {}

  /**
   * Builds the query once with placeholders for values `0 … valueCount-1`. Undefined when the
   * shape cannot be reused: a placeholder went into the SQL text, was rewritten otherwise than
   * folded, or is missing from the parameters (the builder decided on its value, so another
   * value could need another statement). Callers then build the query the ordinary way.
   */
  static build<Row>(
    valueCount: number,
    build: (p: Placeholders) => Compilable<Row>,
  ): PreparedQuery<Row> | undefined {
    let compiled: CompiledQuery<Row>
    try {
      compiled = build(placeholders).compile()
    } catch {
      return undefined
    }
    if (compiled.sql.includes('\u0001') || compiled.sql.includes(String(NUMBER_BASE))) {
      return undefined
    }
    const slots: Slot[] = []
    const used = new Set<number>()
    for (const parameter of compiled.parameters) {
      const slot = slotOf(parameter)
      if (slot === undefined) return undefined
      if (slot.kind === 'value') used.add(slot.index)
      slots.push(slot)
    }
    for (let index = 0; index < valueCount; index++) if (!used.has(index)) return undefined
    if (used.size !== valueCount) return undefined
    return new PreparedQuery(compiled, slots)
  }

  /** Runs the statement on `db` (the reader or the transaction) with `values`. */
  async execute(db: Kysely<unknown>, values: readonly unknown[]): Promise<Row[]> {
    const parameters = this.slots.map((slot) => {
      if (slot.kind === 'constant') return slot.value
      const value = values[slot.index]
      return slot.folded && typeof value === 'string' ? value.toLowerCase() : value
    })
    const result = await db.executeQuery<Row>({ ...this.compiled, parameters })
    return result.rows as Row[]
  }
}

/**
 * A bounded map of prepared shapes, `undefined` remembered for shapes that cannot be reused. A
 * client inventing shapes (filters) only empties it.
 */
export class PreparedShapes<Row> {
  private readonly shapes = new Map<string, PreparedQuery<Row> | undefined>()

  constructor(private readonly capacity = 500) {}

  get(key: string, build: () => PreparedQuery<Row> | undefined): PreparedQuery<Row> | undefined {
    if (this.shapes.has(key)) return this.shapes.get(key)
    const prepared = build()
    if (this.shapes.size >= this.capacity) this.shapes.clear()
    this.shapes.set(key, prepared)
    return prepared
  }
}
