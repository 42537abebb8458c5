// Every queue and batch in the engine has a bound (TIGER_STYLE: put a limit on everything).
// limits.test.ts checks the relationships between them.

/** Commands in one journal batch (one PostgreSQL row, one commit). */
export const journalBatchCommandsMax = 8_192;

/** Commands applied but not yet committed before `submit` starts to wait (two batches: one committing, one filling). */
export const inFlightCommandsMax = 2 * journalBatchCommandsMax;

/** Commands waiting for admission (in-flight bound reached or follower too far behind) before submit refuses. */
export const waitingCommandsMax = 100_000;

/**
 * Journal batches committing at once. Two halve the wait of a command that arrives while a commit is under way
 * (ack latency was about twice the commit latency with one); acknowledgements stay in order.
 */
export const journalCommitsInFlightMax = 2;

/** Commands that must be waiting before a second commit starts beside one under way (see Sequencer). */
export const journalSecondCommitMinCommands = 1_024;

/** Attempts to commit one batch before the engine stops itself rather than acknowledge anything unjournaled. */
export const journalCommitAttemptsMax = 5;

/** Wait between commit attempts; doubles each time. */
export const journalCommitRetryDelayMs = 20;

/** Journal batches read per query during recovery. */
export const recoveryBatchesPerQuery = 64;

/** Commands between two snapshots, which bounds how much journal a restart replays. */
export const snapshotIntervalCommands = 250_000;

/** Commands the projector may lag behind the sequencer before submissions wait for it. */
export const projectorLagCommandsMax = 1_000_000;

/** Commands the follower gathers before it hands them to a projection flush (while it goes on applying). */
export const followerFlushCommandsMax = 16_384;

/** When caught up, the follower flushes a partial buffer at most this often. */
export const followerFlushIntervalMs = 200;

/** Nice value of the follower's thread (0 normal, 19 lowest): projections yield the CPU to commits. */
export const followerThreadNice = 10;

/** Committed batches the follower queues in memory; past this it reads them back from the journal instead. */
export const followerQueueBatchesMax = 64;

/** Snapshots kept; older ones are deleted once a newer one is durable. */
export const snapshotsKept = 3;

/** Bytes of one journaled command line, which rejects absurd input before it reaches the journal. */
export const commandBytesMax = 4_096;
