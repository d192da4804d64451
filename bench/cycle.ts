// The Entra provisioning cycles of `npm run bench` (entra-provisioning.md §2): the initial cycle
// (match then create each user; match, create and fill each group) and an incremental cycle
// (attribute replaces, deactivations, member removals, deletes), each step a timed phase.
import { hasId, idOf, listOf, parseObject, send, totalResultsOf, type Target } from './client.ts'
import {
  createOpStats,
  createPhase,
  runBounded,
  type Checkpoint,
  type CpuMs,
  type OpStats,
  type Phase,
} from './load.ts'
import {
  addMembersPatch,
  benchGroup,
  benchUser,
  chunk,
  deactivateUserPatch,
  groupByDisplayNamePath,
  planIncremental,
  planMemberships,
  removeMembersPatch,
  replaceUserPatch,
  userByUserNamePath,
} from './workload.ts'

export interface CycleOptions {
  readonly runId: string
  readonly users: number
  readonly groups: number
  readonly concurrency: number
  readonly memberBatch: number
  /** Cumulative CPU ms of the processes under test, when they can be read (cpu.ts). */
  readonly cpu?: (() => CpuMs) | undefined
  /** Which steps run (default all): `npm run bench -- --workload users,groups,incremental`. */
  readonly steps?: CycleSteps
  /**
   * Without the users step: the ids of the tenant's users 0 … users-1 (bulk-loaded), which the
   * groups and incremental steps work on.
   */
  readonly existingUserIds?: readonly (string | undefined)[]
}

export interface CycleSteps {
  readonly users: boolean
  readonly groups: boolean
  readonly incremental: boolean
}

/**
 * The users phase (and the user PATCH phases) are also reported in this many slices: cost against
 * tenant size, and drift within a phase.
 */
const SLICES = 10

/** An untimed read-back after a phase: did the server do what the requests asked? */
export interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

export interface CycleResult {
  readonly phases: readonly Phase[]
  readonly initialCycleMs: number
  /** Requests not sent because the resource they needed was not created. */
  readonly skipped: number
  readonly checks: readonly Check[]
  /** The users of the run by index (created, or given), undefined where none exists any more. */
  readonly userIds: readonly (string | undefined)[]
  /** Users the incremental step deleted. */
  readonly deletedIds: readonly string[]
}

export type Progress = (line: string) => void

const PROGRESS_INTERVAL_MS = 5000

function cpuSince(start: CpuMs | undefined, now: CpuMs | undefined): CpuMs | undefined {
  if (start === undefined || now === undefined) return undefined
  return {
    serverMs: now.serverMs - start.serverMs,
    databaseMs:
      now.databaseMs === undefined || start.databaseMs === undefined
        ? undefined
        : now.databaseMs - start.databaseMs,
  }
}

/**
 * Runs a phase's tasks and records its wall time and the CPU of the processes under test; with
 * `slices`, also a checkpoint each time another 1/slices of the tasks has completed.
 */
async function timed(
  phase: Phase,
  total: number,
  options: {
    readonly concurrency: number
    readonly cpu?: (() => CpuMs) | undefined
    readonly slices?: number
  },
  progress: Progress,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let done = 0
  progress(`${phase.name}: ${total} tasks`)
  const timer = setInterval(
    () => progress(`  ${phase.name}: ${done}/${total}`),
    PROGRESS_INTERVAL_MS,
  )
  const cpuStart = options.cpu?.()
  const started = performance.now()
  const slices = Math.min(options.slices ?? 0, total)
  const checkpoints: Checkpoint[] = []
  let nextCheckpoint = slices > 0 ? Math.ceil(total / slices) : Infinity
  try {
    phase.wallMs = await runBounded(total, options.concurrency, async (index) => {
      await task(index)
      done += 1
      if (done >= nextCheckpoint) {
        checkpoints.push({
          tasks: done,
          wallMs: performance.now() - started,
          counts: phase.types.map((type) => type.latenciesMs.length),
          cpu: cpuSince(cpuStart, options.cpu?.()),
        })
        nextCheckpoint = Math.ceil((total * (checkpoints.length + 1)) / slices)
      }
    })
  } finally {
    clearInterval(timer)
  }
  const cpu = cpuSince(cpuStart, options.cpu?.())
  if (cpu !== undefined) phase.cpu = cpu
  if (slices > 0) phase.checkpoints = checkpoints
  progress(`  ${phase.name}: done in ${(phase.wallMs / 1000).toFixed(2)} s`)
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined
}

function errorsIn(...stats: readonly OpStats[]): number {
  return stats.reduce((total, s) => total + s.errors, 0)
}

export async function runCycles(
  target: Target,
  options: CycleOptions,
  progress: Progress,
): Promise<CycleResult> {
  const { runId, users, groups, memberBatch } = options
  const phaseOptions = { concurrency: options.concurrency, cpu: options.cpu }
  const phases: Phase[] = []
  const checks: Check[] = []
  const checkStats = createOpStats('check')
  const steps = options.steps ?? { users: true, groups: true, incremental: true }
  let skipped = 0

  // Initial cycle, users (§3.5 then §3.3): create only after the match came back empty.
  const getUser = createOpStats('GET user by userName')
  const postUser = createOpStats('POST user')
  const usersPhase = createPhase('initial: users', [getUser, postUser])
  const userIds: (string | undefined)[] = steps.users
    ? new Array<string | undefined>(users).fill(undefined)
    : Array.from({ length: users }, (_, i) => options.existingUserIds?.[i])
  const deletedIds: string[] = []
  if (steps.users) phases.push(usersPhase)
  const usersTotal = steps.users ? users : 0
  await timed(usersPhase, usersTotal, { ...phaseOptions, slices: SLICES }, progress, async (i) => {
    const user = benchUser(runId, i)
    const match = await send(target, getUser, 'GET', userByUserNamePath(user.userName), {
      expected: [200],
      check: listOf(0),
    })
    if (!match.ok) {
      skipped += 1
      return
    }
    const created = await send(target, postUser, 'POST', '/Users', {
      expected: [201],
      body: user.body,
      check: hasId,
    })
    if (created.ok) userIds[i] = idOf(created.text)
  })

  const firstUser = userIds.findIndex(isDefined)
  if (firstUser >= 0 && steps.users) {
    const userName = benchUser(runId, firstUser).userName.toUpperCase()
    const reply = await send(target, checkStats, 'GET', userByUserNamePath(userName), {
      expected: [200],
    })
    const total = reply.ok ? totalResultsOf(reply.text) : undefined
    checks.push({
      name: 'userName match is case-insensitive (§3.5)',
      ok: total === 1,
      detail: `GET /Users?filter=userName eq "${userName}" -> ${reply.status}, totalResults ${total}`,
    })
  }

  // Initial cycle, groups (§3.13, §3.11, §3.15): members added in batches once the group exists.
  const getGroup = createOpStats('GET group by displayName')
  const postGroup = createOpStats('POST group')
  const addMembers = createOpStats('PATCH members add')
  const groupsPhase = createPhase('initial: groups', [getGroup, postGroup, addMembers])
  if (steps.groups) phases.push(groupsPhase)
  const memberships = planMemberships(users, groups)
  const groupIds: (string | undefined)[] = new Array<string | undefined>(groups).fill(undefined)
  await timed(groupsPhase, steps.groups ? groups : 0, phaseOptions, progress, async (g) => {
    const group = benchGroup(runId, g)
    const batches = chunk(memberships[g] ?? [], memberBatch)
    const match = await send(target, getGroup, 'GET', groupByDisplayNamePath(group.displayName), {
      expected: [200],
      check: listOf(0),
    })
    if (!match.ok) {
      skipped += 1 + batches.length
      return
    }
    const created = await send(target, postGroup, 'POST', '/Groups', {
      expected: [201],
      body: group.body,
      check: hasId,
    })
    const groupId = created.ok ? idOf(created.text) : undefined
    if (groupId === undefined) {
      skipped += batches.length
      return
    }
    groupIds[g] = groupId
    for (const batch of batches) {
      const ids = batch.map((user) => userIds[user]).filter(isDefined)
      if (ids.length === 0) {
        skipped += 1
        continue
      }
      await send(target, addMembers, 'PATCH', `/Groups/${groupId}`, {
        expected: [200, 204],
        body: addMembersPatch(ids),
      })
    }
  })
  const initialCycleMs = usersPhase.wallMs + groupsPhase.wallMs
  if (!steps.incremental) {
    return { phases, initialCycleMs, skipped, checks, userIds, deletedIds }
  }

  // Incremental cycle (§2, §4): each kind of change as its own phase, so each rate is measured
  // alone.
  const plan = planIncremental(users, memberships)
  const userPatch = async (
    stats: OpStats,
    phaseName: string,
    indices: readonly number[],
    body: (index: number) => Record<string, unknown>,
  ) => {
    const phase = createPhase(phaseName, [stats])
    phases.push(phase)
    const sliced = { ...phaseOptions, slices: SLICES }
    await timed(phase, indices.length, sliced, progress, async (i) => {
      const user = indices[i] ?? 0
      const id = userIds[user]
      if (id === undefined) {
        skipped += 1
        return
      }
      await send(target, stats, 'PATCH', `/Users/${id}`, {
        expected: [200, 204],
        body: body(user),
      })
    })
  }
  const replace = createOpStats('PATCH user replace')
  await userPatch(replace, 'incremental: replace', plan.replace, replaceUserPatch)
  const deactivate = createOpStats('PATCH user deactivate')
  await userPatch(deactivate, 'incremental: deactivate', plan.deactivate, deactivateUserPatch)

  const deactivated = plan.deactivate.map((user) => userIds[user]).find(isDefined)
  if (deactivated !== undefined && deactivate.errors === 0) {
    const reply = await send(target, checkStats, 'GET', `/Users/${deactivated}`, {
      expected: [200],
    })
    const active = parseObject(reply.text)?.['active']
    checks.push({
      name: 'a deactivated user is still returned, with active false (§3.8)',
      ok: reply.ok && active === false,
      detail: `GET /Users/${deactivated} -> ${reply.status}, active ${String(active)}`,
    })
  }

  const removeMembers = createOpStats('PATCH members remove')
  const removalsPhase = createPhase('incremental: member removals', [removeMembers])
  phases.push(removalsPhase)
  const removals = plan.memberRemovals.flatMap(([group, members]) =>
    chunk(members, memberBatch).map((batch) => ({ group, batch })),
  )
  await timed(removalsPhase, removals.length, phaseOptions, progress, async (i) => {
    const removal = removals[i]
    const groupId = removal === undefined ? undefined : groupIds[removal.group]
    const ids = (removal?.batch ?? []).map((user) => userIds[user]).filter(isDefined)
    if (groupId === undefined || ids.length === 0) {
      skipped += 1
      return
    }
    await send(target, removeMembers, 'PATCH', `/Groups/${groupId}`, {
      expected: [200, 204],
      body: removeMembersPatch(ids),
    })
  })

  // §3.16's danger: a server that reads `Remove` + `path: "members"` as "remove all" empties the
  // group. Read one group back (only when every add and remove succeeded, so the count is known).
  const [checkGroup, removed] = plan.memberRemovals[0] ?? [undefined, []]
  const checkGroupId = checkGroup === undefined ? undefined : groupIds[checkGroup]
  if (checkGroup !== undefined && checkGroupId !== undefined && skipped === 0) {
    if (errorsIn(postUser, addMembers, removeMembers) === 0) {
      const expected = (memberships[checkGroup]?.length ?? 0) - removed.length
      const reply = await send(target, checkStats, 'GET', `/Groups/${checkGroupId}`, {
        expected: [200],
      })
      const members = parseObject(reply.text)?.['members']
      const count = Array.isArray(members) ? members.length : undefined
      checks.push({
        name: 'Remove members removes only the listed members (§3.16)',
        ok: reply.ok && (count === undefined || count === expected),
        detail:
          count === undefined
            ? `GET /Groups/${checkGroupId} -> ${reply.status}, no members attribute: not checked`
            : `GET /Groups/${checkGroupId} -> ${reply.status}, ${count} members, expected ${expected}`,
      })
    }
  }

  const deleteUser = createOpStats('DELETE user')
  const deletePhase = createPhase('incremental: deletes', [deleteUser])
  phases.push(deletePhase)
  await timed(deletePhase, plan.remove.length, phaseOptions, progress, async (i) => {
    const id = userIds[plan.remove[i] ?? 0]
    if (id === undefined) {
      skipped += 1
      return
    }
    const reply = await send(target, deleteUser, 'DELETE', `/Users/${id}`, { expected: [204] })
    if (reply.ok) deletedIds.push(id)
  })

  const deleted = plan.remove.map((user) => userIds[user]).find(isDefined)
  if (deleted !== undefined && deleteUser.errors === 0) {
    const reply = await send(target, checkStats, 'GET', `/Users/${deleted}`, { expected: [404] })
    checks.push({
      name: 'a deleted user is gone (§3.9)',
      ok: reply.ok,
      detail: `GET /Users/${deleted} -> ${reply.status}`,
    })
  }

  return { phases, initialCycleMs, skipped, checks, userIds, deletedIds }
}
