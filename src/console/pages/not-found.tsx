// A console path that leads nowhere.
import { HOME } from '../navigation.ts'
import { usePageTitle } from '../page-title.ts'
import { Link } from '../router.tsx'

export function NotFoundPage() {
  usePageTitle('Not found')
  return (
    <>
      <h1>There is no page here</h1>
      <p>
        The address may be mistyped, or the item was deleted. <Link to={HOME}>Go to Domains</Link>.
      </p>
    </>
  )
}
