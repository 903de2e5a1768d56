/**
 * The operations benchmark's report: which goals its rows meet, and how BENCHMARKS.md keeps
 * both benchmarks' parts. No timing is measured here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { OPERATIONS_MARKER, withOperationsReport, withSynthesisReport } from '../bench/benchmarks-file';
import { OpsRow, opsGoals, renderOpsReport } from '../bench/ops-report';

function rowOf(partial: Partial<OpsRow> & Pick<OpsRow, 'system' | 'scenario' | 'arm' | 'medianMs'>): OpsRow {
  return { pairs: 5, ratioToLibrary: 1, acknowledged: 100, lost: 0, leaderChanges: 1, ...partial };
}

describe('operations goals', () => {
  const rows: OpsRow[] = [
    rowOf({ system: 'zookeeper', scenario: 'coldStart', arm: 'library', medianMs: 4000 }),
    rowOf({ system: 'zookeeper', scenario: 'coldStart', arm: 'bitnami', medianMs: 10000 }),
    rowOf({ system: 'zookeeper', scenario: 'rollingUpdate', arm: 'library', medianMs: 9000, leaderChanges: 2, leaderChangeFloor: 1 }),
    rowOf({ system: 'zookeeper', scenario: 'rollingUpdate', arm: 'bitnami', medianMs: 16000, leaderChanges: 2, leaderChangeFloor: 1 }),
    rowOf({ system: 'zookeeper', scenario: 'partition', arm: 'library', medianMs: 10500, lost: 3 }),
    rowOf({ system: 'zookeeper', scenario: 'partition', arm: 'bitnami', medianMs: 10500, lost: 7 }),
  ];
  const goals = opsGoals(rows);
  const goal = (text: string) => goals.find(g => g.goal.startsWith(text))!;

  test('lost writes count in the library arm only', () => {
    expect(goal('no acknowledged write lost')).toMatchObject({ met: false, detail: 'partition: 3 of 100 lost' });
  });

  test('cold start and rollout against half of Bitnami\'s, saying by how much a miss is over', () => {
    expect(goal('cold start')).toMatchObject({ met: true, detail: '4.0 s vs 10.0 s: 0.40×' });
    expect(goal('rolling update')).toMatchObject({ met: false, detail: '9.0 s vs 16.0 s: 0.56×, 1.0 s over' });
  });

  test('leader changes against the fewest the starting leader allows', () => {
    expect(goal('at most one leader change')).toMatchObject({ met: false, detail: 'median 2, fewest possible 1' });
    const fromTheTop = opsGoals([{ ...rows[2], leaderChangeFloor: 2 }]);
    expect(fromTheTop.find(g => g.goal.startsWith('at most one leader change'))!.met).toBe(true);
  });

  test('recovery against the protocol\'s floor', () => {
    expect(goal('writes resume after the leader is cut off')).toMatchObject({ met: true, detail: '10.5 s, floor 20.0 s' });
    const slow = opsGoals([rowOf({ system: 'etcd', scenario: 'leaderKilled', arm: 'library', medianMs: 5000 })]);
    expect(slow.find(g => g.goal.startsWith('writes resume'))).toMatchObject({ met: false, detail: '5.0 s, floor 4.0 s (1.0 s over)' });
  });

  test('the report carries the table and every goal', () => {
    const text = renderOpsReport({ command: 'npm run bench:ops', date: '2026-12-07T00:00:00Z', seconds: 60, machine: 'm', servers: 's' }, rows);
    expect(text).toContain('| zookeeper | coldStart | bitnami | 5 | 10000 |');
    expect(text.match(/\| (met|MISSED) \|/g)).toHaveLength(goals.length);
  });
});

describe('BENCHMARKS.md holds both reports', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'benchmarks-file-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('each benchmark replaces its own part and keeps the other\'s', () => {
    const file = path.join(dir, 'BENCHMARKS.md');
    writeFileSync(file, withOperationsReport(file, '# Operations benchmark\n\nfirst\n'));
    expect(withOperationsReport(file, 'x')).toBe(`${OPERATIONS_MARKER}\n\nx\n`);
    writeFileSync(file, withSynthesisReport(file, '# Synthesis benchmark\n\nold\n'));
    writeFileSync(file, withSynthesisReport(file, '# Synthesis benchmark\n\nnew\n'));
    writeFileSync(file, withOperationsReport(file, '# Operations benchmark\n\nsecond\n'));
    expect(readFileSync(file, 'utf8')).toBe(
      `# Synthesis benchmark\n\nnew\n\n${OPERATIONS_MARKER}\n\n# Operations benchmark\n\nsecond\n`);
  });

  test('a synthesis report alone stays as it is', () => {
    expect(withSynthesisReport(path.join(dir, 'missing.md'), '# Synthesis benchmark\n')).toBe('# Synthesis benchmark\n');
  });
});
