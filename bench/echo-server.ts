// The reference server of `npm run bench`: the smallest Fastify app that parses a JSON body and
// sends it back, so each SCIM request type can be compared with Fastify's own floor on this box.
import Fastify from 'fastify'

const app = Fastify({ logger: false })

app.get('/healthz', async () => ({ status: 'ok' }))
app.post('/echo', async (request) => request.body)

const close = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGTERM', close)
process.once('SIGINT', close)

await app.listen({
  port: Number(process.env['PORT'] ?? 0),
  host: process.env['HOST'] ?? '127.0.0.1',
})
