// CPU time of the processes under test, read from /proc (Linux): the Rollcall child and, on
// PostgreSQL, the backends connected to the benchmark's database. CPU time per request is less
// disturbed than latency by other work on a shared machine, so it is the figure to compare across
// runs (e.g. 10,000 against 100,000 users). Elsewhere than Linux the probe reports nothing.
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second in /proc/<pid>/stat: USER_HZ, 100 on Linux whatever CONFIG_HZ is. */
const TICKS_PER_SECOND = 100

/** utime + stime of one process in ms, or undefined when it is gone (or there is no /proc). */
function processCpuMs(pid: number): number | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined
  return ((utime + stime) * 1000) / TICKS_PER_SECOND
}

/** PIDs of the PostgreSQL backends on `database` (their title: `postgres: … user database …`). */
function backendPids(database: string): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  const pids: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    let title: string
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
    } catch {
      continue
    }
    if (title.startsWith('postgres:') && title.split(/[\s\0]+/).includes(database)) {
      pids.push(Number(entry))
    }
  }
  return pids
}

export interface CpuReading {
  /** Cumulative CPU ms of the Rollcall process. */
  readonly serverMs: number
  /** Cumulative CPU ms of the database's PostgreSQL backends; undefined on SQLite. */
  readonly databaseMs: number | undefined
}

export interface CpuProbe {
  read(): CpuReading
  stop(): void
}

/**
 * Reads the CPU time of `serverPid` and, given `database`, of its PostgreSQL backends. Backends
 * come and go with the server's pool: they are polled every `pollMs`, and the last reading of a
 * backend that has exited still counts (it loses at most `pollMs` of that backend's work).
 */
export function startCpuProbe(
  serverPid: number,
  database: string | undefined,
  pollMs = 1000,
): CpuProbe | undefined {
  const start = processCpuMs(serverPid)
  if (start === undefined) return undefined
  const backends = new Map<number, number>()
  const pollBackends = () => {
    if (database === undefined) return
    for (const pid of backendPids(database)) {
      const ms = processCpuMs(pid)
      if (ms !== undefined) backends.set(pid, ms)
    }
  }
  pollBackends()
  const timer = setInterval(pollBackends, pollMs)
  timer.unref()
  let lastServerMs = start
  return {
    read() {
      pollBackends()
      lastServerMs = processCpuMs(serverPid) ?? lastServerMs
      let databaseMs = 0
      for (const ms of backends.values()) databaseMs += ms
      return { serverMs: lastServerMs, databaseMs: database === undefined ? undefined : databaseMs }
    },
    stop() {
      clearInterval(timer)
    },
  }
}
