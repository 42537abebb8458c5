// @exbox/engine: the sequencer and state machine that own books and balances. See README.md.
export type * from './commands.js';
export { Engine, recoverState, type EngineOptions, type RecoveryReport } from './engine.js';
export {
  EngineState,
  ENGINE_RULES_VERSION,
  ENGINE_SNAPSHOT_FORMAT,
  hashEngineSnapshot,
  type EngineSnapshot,
  type EngineStateOptions,
} from './state/engine-state.js';
export { RejectCode } from './state/results.js';
export type {
  BalanceView,
  DoneReason,
  EngineEvent,
  EngineResult,
  OrderStatus,
  OrderView,
  TradeSide,
  TransferView,
} from './state/results.js';
export {
  Sequencer,
  SequencerBusyError,
  SequencerStoppedError,
  CommandTooLargeError,
  decodeJournalLine,
  encodeJournalLine,
  type CommittedBatch,
  type Sequenced,
  type StateMachine,
} from './sequencer.js';
export {
  PgJournalStore,
  RulesVersionError,
  acquireWriterLock,
  checkRulesVersion,
  type JournalBatch,
  type JournalStore,
  type StoredSnapshot,
} from './journal/journal-store.js';
export { MemoryJournalStore } from './journal/memory-journal-store.js';
export { replayJournal } from './journal/replay.js';
export * as engineLimits from './limits.js';
export {
  EngineSummary,
  LatencyHistogram,
  WORKLOAD_SYMBOL,
  WORKLOAD_USERS,
  workloadCommand,
  workloadSetupCommands,
} from './workload/engine-replay.js';
export { pendingDefinitionCommands, tenantDefinitionCommands } from './tenant.js';
export { ENGINE_NODE_FLAGS, relaunchWithEngineFlags } from './process/engine-flags.js';
