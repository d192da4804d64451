// The provisioning log's activity chart (SPEC §5): a tenant's SCIM requests and failures per time
// bucket over a recent range, every bucket present (zero where nothing happened), oldest first.
import type { TenantId } from '../domain/ids.ts'
import type { ActivityBucket, ProvisioningActivity, Store } from '../store/store.ts'

/** The ranges the chart offers: the last hour by minute, day by hour, 30 days by day. */
export const ACTIVITY_RANGES = ['hour', 'day', 'month'] as const
export type ActivityRange = (typeof ACTIVITY_RANGES)[number]

const RANGES: Readonly<
  Record<ActivityRange, { bucket: ActivityBucket; stepMs: number; count: number }>
> = {
  hour: { bucket: 'minute', stepMs: 60_000, count: 60 },
  day: { bucket: 'hour', stepMs: 3_600_000, count: 24 },
  month: { bucket: 'day', stepMs: 86_400_000, count: 30 },
}

export interface ProvisioningActivityView {
  readonly range: ActivityRange
  readonly bucket: ActivityBucket
  /** The first bucket's start (ISO). */
  readonly since: string
  readonly buckets: readonly ProvisioningActivity[]
}

/** The UTC start of the bucket holding `time` (day buckets start at midnight UTC). */
function bucketStart(time: number, stepMs: number): number {
  return Math.floor(time / stepMs) * stepMs
}

export async function provisioningActivity(
  store: Store,
  tenantId: TenantId,
  range: ActivityRange,
  now: Date = new Date(),
): Promise<ProvisioningActivityView> {
  const { bucket, stepMs, count } = RANGES[range]
  const first = bucketStart(now.getTime(), stepMs) - (count - 1) * stepMs
  const since = new Date(first).toISOString()
  const counted = await store.forTenant(tenantId).provisioningLog.activity({ since, bucket })
  const byStart = new Map(counted.map((c) => [c.start, c]))
  const buckets: ProvisioningActivity[] = []
  for (let i = 0; i < count; i++) {
    const start = new Date(first + i * stepMs).toISOString()
    buckets.push(byStart.get(start) ?? { start, requests: 0, failures: 0 })
  }
  return { range, bucket, since, buckets }
}
