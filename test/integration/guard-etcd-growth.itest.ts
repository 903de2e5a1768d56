/**
 * The change guard's etcd growth steps, carried out with Debian's etcd 3.4 on the
 * preset's synthesized StatefulSet: 3 -> 5 members one at a time. The member add
 * command and the member list of each step are taken from the guard's own finding;
 * `kubectl set env` under a partition is emulated by editing the pod template
 * before the new pod starts (the running members keep theirs). A control shows why
 * the list must be exact: the final 5-member list is refused for the 4th member.
 */
import { Testing, Yaml } from 'cdk8s';
import { PodCluster, startPodCluster } from './harness';
import { waitFor } from './quorum-steps';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { GuardRule, ManifestGuard } from '../../src/guard';
import { EtcdPreset } from '../../src/presets/etcd';

const COMMANDS = { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' };
const READY_MS = 60000;

function synth(replicas: number): any[] {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'etcd', { deployType: DeployType.STATEFUL_MULTIPLE, replicas, namespace: 'itest', preset: new EtcdPreset() });
  return Testing.synth(chart);
}

function etcdctl(cluster: PodCluster, ordinal: number, args: string[]) {
  return cluster.exec(ordinal, ['etcdctl', '--endpoints=http://127.0.0.1:2379', '--dial-timeout=3s', '--command-timeout=5s', ...args], { timeoutMs: 20000 });
}

/** What `kubectl set env` does to the pod template: later pods start with these values. */
/**
 * Runs the guard's `etcdctl member add` step until etcd takes it: etcd refuses to admit a member
 * ("unhealthy cluster") until every member has been connected for 5 s (HealthInterval), which a
 * member Ready a second after its start has not yet.
 */
async function admit(cluster: PodCluster, add: string[]): Promise<void> {
  let last = '';
  await waitFor(async () => {
    const r = await etcdctl(cluster, 0, add);
    last = `${r.stdout}${r.stderr}`;
    return r.code === 0;
  }, 20000, `etcdctl ${add.join(' ')}`).catch((e: Error) => {
    throw new Error(`${e.message}; etcd said: ${last}`);
  });
}

function setEnv(manifests: any[], values: Record<string, string>): void {
  const sts = manifests.find(o => o.kind === 'StatefulSet');
  for (const container of sts.spec.template.spec.containers) {
    for (const [name, value] of Object.entries(values)) {
      const entry = container.env.find((e: any) => e.name === name);
      entry.value = value;
    }
  }
}

describe('guard steps for etcd 3 -> 5 members, one at a time (Debian etcd 3.4)', () => {
  let cluster: PodCluster | undefined;
  const manifests = synth(3);
  const [finding] = ManifestGuard.compare(Yaml.stringify(...synth(3)), Yaml.stringify(...synth(5))).components
    .flatMap(c => c.findings).filter(f => f.rule === GuardRule.QUORUM_MEMBER_CHANGE);

  /** The member add arguments and the member list the guard prints for the step that starts `ordinal`. */
  function step(ordinal: number): { add: string[]; list: string } {
    const text = finding.steps.find(s => s.startsWith(`${ordinal} -> ${ordinal + 1} members:`));
    const add = /etcdctl (member add \S+ --peer-urls=\S+);/.exec(text ?? '')?.[1];
    const list = /ETCD_INITIAL_CLUSTER=(\S+);/.exec(text ?? '')?.[1];
    if (!add || !list) throw new Error(`no add/list in the guard's step for ordinal ${ordinal}: ${text}`);
    return { add: add.split(' '), list };
  }

  beforeAll(async () => {
    cluster = await startPodCluster({ manifests, statefulSetName: 'etcd', commands: COMMANDS, replicas: 5 });
  });

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('the 3 members form and take a write', async () => {
    const c = cluster!;
    for (const i of [0, 1, 2]) await c.startPod(i);
    for (const i of [0, 1, 2]) await c.waitReady(i, READY_MS);
    expect((await etcdctl(c, 0, ['put', '/before-growth', 'kept'])).stdout.trim()).toBe('OK');
  });

  test('control: the 4th member started with the final 5-member list is refused (member count is unequal)', async () => {
    const c = cluster!;
    const { add } = step(3);
    await admit(c, add);
    setEnv(manifests, { ETCD_INITIAL_CLUSTER_STATE: 'existing', ETCD_INITIAL_CLUSTER: step(4).list });
    await c.startPod(3);
    await waitFor(async () => /member count is unequal/.test(c.logs(3)), 30000, 'etcd-3 refuses the 5-member list');
    await c.stopPod(3);
    // the admitted but unstarted member is still counted: 3 of 4 running keep the quorum
    expect((await etcdctl(c, 0, ['put', '/while-admitted', 'ok'])).stdout.trim()).toBe('OK');
  });

  test.each([3, 4])('member %i: started with the list of the guard\'s step, healthy before the next one is added', async (ordinal) => {
    const c = cluster!;
    const { add, list } = step(ordinal);
    expect(list.split(',')).toHaveLength(ordinal + 1);
    if (ordinal === 4) await admit(c, add); // member 3 was admitted by the control above
    setEnv(manifests, { ETCD_INITIAL_CLUSTER_STATE: 'existing', ETCD_INITIAL_CLUSTER: list });
    await c.startPod(ordinal);
    await c.waitReady(ordinal, READY_MS);
    const health = await etcdctl(c, 0, ['endpoint', 'health', '--cluster']);
    expect(health.code).toBe(0);
    expect(`${health.stdout}${health.stderr}`.match(/is healthy/g)).toHaveLength(ordinal + 1);
    const members = await etcdctl(c, 0, ['member', 'list']);
    expect(members.stdout.trim().split('\n')).toHaveLength(ordinal + 1);
    expect(members.stdout).not.toContain('unstarted');
    // the new member holds the data written before the growth (serializable: its own copy)
    await waitFor(async () => (await etcdctl(c, ordinal, ['get', '--consistency=s', '--print-value-only', '/before-growth'])).stdout.trim() === 'kept',
      20000, `etcd-${ordinal} has the data`);
  });
});
