/**
 * The pods' network: a hub namespace holding a bridge, one namespace per pod
 * joined to the bridge by a veth pair, and per-namespace hosts/resolv.conf
 * files under /etc/netns/<netns>/ (which `ip netns exec` bind-mounts over
 * /etc). The root namespace's interfaces and routes are never touched.
 */
import { promises as fs } from 'fs';
import { hubNetns, podAddress, podNetns } from './addressing';
import { run, runOk } from './system';

/** Where `ip netns` keeps its per-namespace /etc files. */
export const NETNS_ETC = '/etc/netns';

/** The network of one run: which pods exist and their addresses. */
export interface PodNetwork {
  readonly index: number;
  readonly hub: string;
  readonly pods: Array<{ readonly ordinal: number; readonly netns: string; readonly ip: string }>;
}

/** Creates the hub, the bridge and a connected namespace for every ordinal. */
export async function createNetwork(index: number, ordinals: number[]): Promise<PodNetwork> {
  const hub = hubNetns(index);
  const pods = ordinals.map((ordinal) => ({ ordinal, netns: podNetns(index, ordinal), ip: podAddress(index, ordinal) }));
  const ip = (args: string[], lines: string[]) => runOk('/usr/sbin/ip', [...args, '-batch', '-'], { input: lines.join('\n') + '\n' });
  await ip([], [`netns add ${hub}`, ...pods.map((p) => `netns add ${p.netns}`)]);
  const hubLines = ['link set lo up', 'link add br0 type bridge', 'link set br0 up'];
  for (const p of pods) {
    hubLines.push(
      `link add v${p.ordinal} type veth peer name eth0 netns ${p.netns}`,
      `link set v${p.ordinal} master br0`,
      `link set v${p.ordinal} up`,
    );
  }
  await ip(['-n', hub], hubLines);
  for (const p of pods) {
    await ip(['-n', p.netns], ['link set lo up', `addr add ${p.ip}/24 dev eth0`, 'link set eth0 up']);
  }
  return { index, hub, pods };
}

/** Writes /etc/netns/<netns>/{hosts,resolv.conf}. */
export async function writeNetnsEtc(netns: string, hosts: string, resolv: string): Promise<void> {
  const dir = `${NETNS_ETC}/${netns}`;
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.writeFile(`${dir}/hosts`, hosts, { mode: 0o644 });
  await fs.writeFile(`${dir}/resolv.conf`, resolv, { mode: 0o644 });
}

/** PIDs of every process living in network namespace `netns`. */
export async function netnsPids(netns: string): Promise<number[]> {
  const r = await run('/usr/sbin/ip', ['netns', 'pids', netns], { timeoutMs: 10000 });
  if (r.code !== 0) return [];
  return r.stdout.split(/\s+/).filter((s) => s !== '').map(Number);
}

/** Kills (SIGKILL) every process of `netns`, then deletes it and its /etc/netns dir. */
export async function deleteNetns(netns: string): Promise<void> {
  for (const pid of await netnsPids(netns)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await run('/usr/sbin/ip', ['netns', 'delete', netns], { timeoutMs: 10000 });
  await fs.rm(`${NETNS_ETC}/${netns}`, { recursive: true, force: true });
}

/** Names of all network namespaces `ip netns` knows. */
export async function listNetns(): Promise<string[]> {
  try {
    return await fs.readdir('/run/netns');
  } catch {
    return [];
  }
}

/** Tears the whole network of a run down (pods first, then the hub). */
export async function destroyNetwork(net: PodNetwork): Promise<void> {
  for (const p of net.pods) await deleteNetns(p.netns);
  await deleteNetns(net.hub);
}
