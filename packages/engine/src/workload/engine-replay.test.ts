// Proves a shared/workloads flow run through the engine's state machine (users round-robin, fees on, STP off)
// gives exactly the matching-only replay's summary, for several seeded workloads from gen.mjs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatSummary, replayWorkloadText } from '@exbox/matching';
import { describe, expect, it } from 'vitest';
import { EngineState } from '../state/engine-state.js';
import { EngineSummary, workloadCommand, workloadSetupCommands } from './engine-replay.js';

const generator = fileURLToPath(new URL('../../../../../shared/workloads/gen.mjs', import.meta.url));

describe('workload through the engine', () => {
  for (const seed of [3, 11]) {
    it(`matches the matching replay's summary (gen.mjs --ops 20000 --seed ${seed})`, () => {
      const generated = spawnSync(process.execPath, [generator, '--ops', '20000', '--seed', String(seed)], {
        encoding: 'utf8',
      });
      expect(generated.status, generated.stderr).toBe(0);
      const text = generated.stdout;
      const state = new EngineState();
      let seq = 0;
      for (const command of workloadSetupCommands()) expect(state.apply(++seq, 1, command).status).toBe('OK');
      const summary = new EngineSummary();
      text.split('\n').forEach((line, i) => {
        const command = workloadCommand(line, i + 1);
        if (command === null) return;
        seq++;
        summary.add(command, { sequence: seq, timestampMs: seq, result: state.apply(seq, seq, command) });
      });
      expect(summary.line({ state }), `seed ${seed}`).toBe(formatSummary(replayWorkloadText(text)));
    });
  }

  it('reports a malformed line with its number, as the matching replay does', () => {
    expect(() => workloadCommand('L,1,B,100', 7)).toThrow(/line 7/);
  });
});
