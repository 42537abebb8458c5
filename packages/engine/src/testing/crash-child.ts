// The process the crash test kills: it recovers the engine from the journal, reports the recovered state, then
// submits the load stream from where the journal ends, printing one line per acknowledged command. A SIGKILL can
// land anywhere: mid-batch, mid-commit, mid-projection, mid-snapshot.
// usage: node dist/testing/crash-child.js DATABASE_URL SEED [COMMANDS_PER_SECOND]
import postgres from 'postgres';
import { Engine } from '../engine.js';
import { decodeJournalLine } from '../sequencer.js';
import { loadCommand } from './load.js';

const [url, seedText] = process.argv.slice(2);
if (url === undefined || seedText === undefined) throw new Error('usage: crash-child.js DATABASE_URL SEED');
const seed = Number(seedText);
const sql = postgres(url, { max: 4, onnotice: () => {} });
const engine = await Engine.start({
  sql,
  databaseUrl: url,
  follower: 'thread',
  snapshotIntervalCommands: 3_000,
  onFatal: (error) => {
    console.error(`fatal: ${error.message}`);
    process.exit(3);
  },
});
engine.state.checkInvariants();
// The journal holds a prefix of the stream, in order: continue right after it.
const next = engine.lastSequence;
if (next > 0) {
  const [last] = await sql<
    { payload: string }[]
  >`select payload from engine_journal order by engine_journal.first_seq desc limit 1`;
  const lastLine = last!.payload.split('\n').at(-1)!;
  if (JSON.stringify(decodeJournalLine(lastLine).command) !== JSON.stringify(loadCommand(seed, next - 1))) {
    throw new Error(`journal head ${next} is not command ${next - 1} of the stream`);
  }
}
process.stdout.write(`ready ${engine.lastSequence} ${engine.state.stateHash()} ${engine.recovery.snapshotSeq}\n`);

// Paced so that the follower keeps up and snapshots are recent, as in steady operation; bursts are the bench's job.
const commandsPerSecond = Number(process.argv[4] ?? 10_000);
let index = next;
let inFlight = 0;
const inFlightMax = 2_000;
const startedMs = performance.now();
for (;;) {
  const due = Math.floor(((performance.now() - startedMs) / 1_000) * commandsPerSecond) + next;
  while (index < due && inFlight < inFlightMax) {
    const commandIndex = index++;
    inFlight++;
    void engine.submit(loadCommand(seed, commandIndex)).then((ack) => {
      inFlight--;
      process.stdout.write(`ack ${ack.sequence} ${commandIndex}\n`);
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
}
