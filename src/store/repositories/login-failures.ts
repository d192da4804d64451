// Failed local sign-ins under throttling keys (an account, a client address), counted over a
// sliding window to slow down password guessing.

export interface LoginFailureRepository {
  /** Records one failed local sign-in under each key (e.g. an account and a client address). */
  record(keys: readonly string[], at: string): Promise<void>
  /** Failures recorded under `key` at or after `since`, and the times of the oldest and latest. */
  count(
    key: string,
    since: string,
  ): Promise<{ count: number; oldestAt: string | null; latestAt: string | null }>
  /** Forgets the failures of a key (after a successful sign-in of that account). */
  clear(key: string): Promise<void>
  /** Deletes the failures recorded before `before`, whatever their key. */
  pruneBefore(before: string): Promise<void>
}
