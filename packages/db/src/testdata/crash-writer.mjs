// Child process for embedded.test.ts: opens the persistent embedded database in the directory given as argv[2],
// then commits one row at a time and prints each id after its commit is acknowledged, until it is killed.
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../dist/embedded.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: crash-writer.mjs <dataDir>');
const server = await startEmbeddedPostgres({ dataDir });
const sql = postgres(server.url, { max: 1, onnotice: () => undefined });
await sql`create table if not exists acknowledged (id int primary key)`;
for (let id = 1; ; id += 1) {
  await sql`insert into acknowledged values (${id})`;
  process.stdout.write(`${id}\n`);
}
