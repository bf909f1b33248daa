import { startServer, type TestServer } from './server.js'
import { freePort, type TestPostgres } from './postgres.js'

export interface TestCluster {
  readonly servers: TestServer[]
  /** The database the servers share (its name, for `postgres.psql`). */
  readonly database: string
  /** NODE_URL of the server owning `docId` now, or null when nobody owns it. */
  ownerUrl(docId: string): Promise<string | null>
  /** The running server at `url`. */
  at(url: string): TestServer
  /** Starts one more server on the database (as a server joining the cluster later). */
  add(): Promise<TestServer>
  dispose(): Promise<void>
}

/**
 * `count` real server processes (the production build) on one fresh PostgreSQL database, each on
 * its own port with NODE_URL naming it, started one after another (the first seeds the database
 * and prints the admin account; the others reuse it).
 */
export async function startCluster(postgres: TestPostgres, count: number, env: Readonly<Record<string, string>> = {}): Promise<TestCluster> {
  const url = await postgres.createDatabase('cluster')
  const database = new URL(url).pathname.slice(1)
  const servers: TestServer[] = []
  const add = async () => {
    const port = await freePort()
    const server = await startServer({
      env: { DATABASE_URL: url, PORT: String(port), NODE_URL: `http://127.0.0.1:${port}`, ...env },
      admin: servers[0]?.admin,
    })
    servers.push(server)
    return server
  }
  for (let i = 0; i < count; i++) await add()
  return {
    servers,
    database,
    async ownerUrl(docId) {
      const owner = await postgres.psql(
        database,
        `SELECT n.url FROM document_owners o JOIN nodes n ON n.id = o.node_id WHERE o.doc_id = '${docId.replace(/'/g, "''")}'`,
      )
      return owner === '' ? null : owner
    },
    at(nodeUrl) {
      const server = servers.find((s) => s.url === nodeUrl)
      if (!server) throw new Error(`no test server at ${nodeUrl}`)
      return server
    },
    add,
    async dispose() {
      await Promise.all(servers.map((server) => server.dispose()))
    },
  }
}
