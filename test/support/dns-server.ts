// A DNS server on loopback that answers TXT queries from a table (RFC 1035 §4), so domain
// verification is tested through node:dns for real (DOMAIN_VERIFICATION_DNS_SERVERS points at it).
import { createSocket, type Socket } from 'node:dgram'

export interface TestDnsServer {
  /** "127.0.0.1:port", for DOMAIN_VERIFICATION_DNS_SERVERS. */
  readonly address: string
  /** TXT records by lower-case name; each record is a list of character strings. */
  readonly txt: Map<string, string[][]>
  /** Names asked for, in order. */
  readonly queries: string[]
  /** When set, queries get no answer at all (a resolver timeout). */
  silent: boolean
  close(): Promise<void>
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = []
  let at = offset
  while (message[at] !== 0) {
    const length = message[at] ?? 0
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'))
    at += 1 + length
  }
  return { name: labels.join('.'), end: at + 1 }
}

function answer(query: Buffer, records: string[][] | undefined): Buffer {
  const { end } = readName(query, 12)
  const question = query.subarray(12, end + 4)
  const header = Buffer.alloc(12)
  query.copy(header, 0, 0, 2)
  // QR, RD, RA; rcode 3 (NXDOMAIN) when the name has no records.
  header.writeUInt16BE(records ? 0x8180 : 0x8183, 2)
  header.writeUInt16BE(1, 4)
  header.writeUInt16BE(records?.length ?? 0, 6)
  const answers = (records ?? []).map((chunks) => {
    const rdata = Buffer.concat(
      chunks.map((chunk) => {
        const bytes = Buffer.from(chunk, 'utf8')
        return Buffer.concat([Buffer.from([bytes.length]), bytes])
      }),
    )
    const fixed = Buffer.alloc(12)
    fixed.writeUInt16BE(0xc00c, 0) // the name: a pointer to the question's
    fixed.writeUInt16BE(16, 2) // TXT
    fixed.writeUInt16BE(1, 4) // IN
    fixed.writeUInt32BE(60, 6)
    fixed.writeUInt16BE(rdata.length, 10)
    return Buffer.concat([fixed, rdata])
  })
  return Buffer.concat([header, question, ...answers])
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4')
  const server: TestDnsServer = {
    address: '',
    txt: new Map(),
    queries: [],
    silent: false,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  }
  socket.on('message', (query, remote) => {
    try {
      const { name } = readName(query, 12)
      server.queries.push(name.toLowerCase())
      if (server.silent) return
      socket.send(answer(query, server.txt.get(name.toLowerCase())), remote.port, remote.address)
    } catch {
      // A malformed query gets no answer, as from a real server under attack.
    }
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  return Object.assign(server, { address: `127.0.0.1:${port}` })
}
