/**
 * Turns the operations benchmark's rows into its part of BENCHMARKS.md: the table and the
 * goals of issue 25, each met or missed, with by how much.
 */

export type System = 'etcd' | 'zookeeper' | 'redis';
export type Scenario = 'coldStart' | 'leaderKilled' | 'partition' | 'rollingUpdate';

/** One system, scenario and arm over all pairs (the `--json` row). */
export interface OpsRow {
  readonly system: System;
  readonly scenario: Scenario;
  readonly arm: string;
  readonly pairs: number;
  /** The scenario's headline time: all Ready (coldStart), first acknowledged write after the fault, the rollout's duration. */
  readonly medianMs: number;
  readonly ratioToLibrary: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly leaderChanges: number;
  /** Median of the fewest leader changes the runs' starting leaders allowed (rollingUpdate only). */
  readonly leaderChangeFloor?: number;
}

/** What the report says about the run itself. */
export interface OpsRunInfo {
  readonly command: string;
  readonly date: string;
  readonly seconds: number;
  readonly machine: string;
  readonly servers: string;
}

/**
 * The protocol's floor for writes to resume after the leader or primary is lost, plus one
 * period of the probe in the clients' path (issue 25, goal 4), with the library's settings.
 */
const RECOVERY_FLOOR: Record<System, { ms: Partial<Record<Scenario, number>>; why: string }> = {
  etcd: {
    ms: { leaderKilled: 4000, partition: 4000 },
    why: 'a follower campaigns after its randomized election timeout (1–2 s, etcd\'s default 1 s), plus the 2 s readiness period',
  },
  zookeeper: {
    ms: { leaderKilled: 10200, partition: 20000 },
    why: 'a killed leader closes its connections, the followers elect at once (finalizeWait 0.2 s); a cut-off one is given up after '
      + 'syncLimit × tickTime = 10 s; plus the 10 s readiness period',
  },
  redis: {
    ms: { leaderKilled: 9000, partition: 9000 },
    why: 'down-after 5 s, about 1 s for the Sentinels\' vote and the promotion, then the proxy\'s check marks the new primary up '
      + '(rise 2 × inter 1 s), plus one check period',
  },
};

const SYSTEMS: System[] = ['etcd', 'zookeeper', 'redis'];

interface Goal { goal: string; system: System; met: boolean; detail: string }

function row(rows: readonly OpsRow[], system: System, scenario: Scenario, arm: string): OpsRow | undefined {
  return rows.find(r => r.system === system && r.scenario === scenario && r.arm === arm);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every goal of issue 25 the rows can decide. */
export function opsGoals(rows: readonly OpsRow[]): Goal[] {
  const goals: Goal[] = [];
  for (const system of SYSTEMS) {
    const library = rows.filter(r => r.system === system && r.arm === 'library');
    if (library.length === 0) continue;
    const lost = library.filter(r => r.lost > 0);
    goals.push({
      goal: 'no acknowledged write lost',
      system,
      met: lost.length === 0,
      detail: lost.length === 0
        ? `0 of ${library.reduce((s, r) => s + r.acknowledged, 0)} lost`
        : lost.map(r => `${r.scenario}: ${r.lost} of ${r.acknowledged} lost`).join('; '),
    });
    for (const scenario of ['coldStart', 'rollingUpdate'] as const) {
      const lib = row(rows, system, scenario, 'library');
      const bitnami = row(rows, system, scenario, 'bitnami');
      if (!lib || !bitnami) continue;
      const ratio = lib.medianMs / bitnami.medianMs;
      goals.push({
        goal: `${scenario === 'coldStart' ? 'cold start' : 'rolling update'} at most half of Bitnami's`,
        system,
        met: ratio <= 0.5,
        detail: `${seconds(lib.medianMs)} vs ${seconds(bitnami.medianMs)}: ${ratio.toFixed(2)}×`
          + (ratio <= 0.5 ? '' : `, ${seconds(lib.medianMs - bitnami.medianMs / 2)} over`),
      });
    }
    const rollout = row(rows, system, 'rollingUpdate', 'library');
    if (rollout && rollout.leaderChangeFloor !== undefined) {
      const most = Math.max(1, rollout.leaderChangeFloor);
      goals.push({
        goal: 'at most one leader change per rollout (two where the leader is the first member restarted)',
        system,
        met: rollout.leaderChanges <= most,
        detail: `median ${rollout.leaderChanges}, fewest possible ${rollout.leaderChangeFloor}`,
      });
    }
    for (const scenario of ['leaderKilled', 'partition'] as const) {
      const lib = row(rows, system, scenario, 'library');
      const floor = RECOVERY_FLOOR[system].ms[scenario];
      if (!lib || floor === undefined) continue;
      goals.push({
        goal: `writes resume after the leader is ${scenario === 'leaderKilled' ? 'killed' : 'cut off'} within the protocol's floor plus one probe period`,
        system,
        met: lib.medianMs <= floor,
        detail: `${seconds(lib.medianMs)}, floor ${seconds(floor)}${lib.medianMs <= floor ? '' : ` (${seconds(lib.medianMs - floor)} over)`}`,
      });
    }
  }
  return goals;
}

/** The operations part of BENCHMARKS.md. */
export function renderOpsReport(info: OpsRunInfo, rows: readonly OpsRow[]): string {
  const pairs = Math.max(0, ...rows.map(r => r.pairs));
  const lines = [
    '# Operations benchmark',
    '',
    `Written by \`${info.command}\` on ${info.date}: ${pairs} pair(s) of arms per system, ${Math.round(info.seconds / 60)} min in all.`,
    '',
    `- Machine: ${info.machine}`,
    `- Servers (Debian's packages, run by the integration harness, 3 members): ${info.servers}`,
    '- Arms: the library\'s manifests, and the same manifests with an anchor\'s parameters patched in (see docs/benchmarks.md for',
    '  each parameter and its source), interleaved, the order reversed every pair. Times are medians over the pairs.',
    '',
    '| system | scenario | arm | pairs | median ms | × library | acknowledged | lost | leader changes (median) | fewest possible |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map(r => `| ${r.system} | ${r.scenario} | ${r.arm} | ${r.pairs} | ${r.medianMs} | ${r.ratioToLibrary} | ${r.acknowledged} | ${r.lost} `
      + `| ${r.leaderChanges} | ${r.leaderChangeFloor ?? ''} |`),
    '',
    '## Goals',
    '',
    '| goal | system | result | detail |',
    '|---|---|---|---|',
    ...opsGoals(rows).map(g => `| ${g.goal} | ${g.system} | ${g.met ? 'met' : 'MISSED'} | ${g.detail} |`),
    '',
    'Floors of the recovery goal:',
    '',
    ...SYSTEMS.map(s => `- ${s}: ${RECOVERY_FLOOR[s].why}.`),
    '- The writer has one request in flight, with a 3 s timeout: a write caught by the fault waits until the server answers',
    '  or the timeout. etcd holds it (its figures are the timeout\'s 3.1 s, above its election); ZooKeeper\'s follower and the',
    '  Redis proxy close the connection at once.',
    '',
  ];
  return lines.join('\n');
}
