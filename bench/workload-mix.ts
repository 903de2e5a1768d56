/**
 * The fixed mix of components the benchmark synthesizes: every Rainbond deploy
 * type, with and without cluster presets, most of them with volumes.
 * Both variants (RainbondComponent and the hand-written baseline) build their
 * objects from these plain specs, so they describe exactly the same application.
 */
import { DeployType } from '../src/deploy-type';

/** Preset a component of the mix runs, if any. */
export type MixPreset = 'etcd' | 'zookeeper';

/** A container port of a mix component. */
export interface MixPort {
  readonly name: string;
  readonly number: number;
}

/** A volume of a mix component. */
export interface MixVolume {
  readonly name: string;
  readonly mountPath: string;
  readonly sizeGi: number;
}

/** One component of the benchmark application. */
export interface ComponentSpec {
  /** Kubernetes name, unique in the application: `<role>-<index>`. */
  readonly name: string;
  readonly deployType: DeployType;
  readonly replicas: number;
  /** Cluster preset; a preset component has no containers or volumes of its own. */
  readonly preset?: MixPreset;
  readonly image?: string;
  readonly ports: MixPort[];
  readonly volumes: MixVolume[];
}

/** A template of the mix; `name` is completed with the component index. */
type Template = Omit<ComponentSpec, 'name'> & { readonly role: string };

/**
 * One cycle of the mix (8 components). Component `i` of an application of any
 * size uses template `i % 8`, so every size has the same proportions.
 */
const CYCLE: readonly Template[] = [
  {
    role: 'web',
    deployType: DeployType.STATELESS_SINGLE,
    replicas: 1,
    image: 'nginx:1.27',
    ports: [{ name: 'http', number: 8080 }],
    volumes: [{ name: 'cache', mountPath: '/var/cache/nginx', sizeGi: 1 }],
  },
  {
    role: 'api',
    deployType: DeployType.STATELESS_MULTIPLE,
    replicas: 3,
    image: 'example/api:1.0',
    ports: [{ name: 'http', number: 8080 }],
    volumes: [{ name: 'uploads', mountPath: '/uploads', sizeGi: 20 }],
  },
  {
    role: 'db',
    deployType: DeployType.STATEFUL_SINGLE,
    replicas: 1,
    image: 'postgres:16',
    ports: [{ name: 'pg', number: 5432 }],
    volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', sizeGi: 50 }],
  },
  {
    role: 'search',
    deployType: DeployType.STATEFUL_MULTIPLE,
    replicas: 3,
    image: 'opensearch:2.15',
    ports: [{ name: 'http', number: 9200 }, { name: 'transport', number: 9300 }],
    volumes: [{ name: 'data', mountPath: '/usr/share/opensearch/data', sizeGi: 100 }, { name: 'logs', mountPath: '/logs', sizeGi: 5 }],
  },
  { role: 'etcd', deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, preset: 'etcd', ports: [], volumes: [] },
  { role: 'zk', deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, preset: 'zookeeper', ports: [], volumes: [] },
  {
    role: 'worker',
    deployType: DeployType.STATELESS_MULTIPLE,
    replicas: 2,
    image: 'example/worker:1.0',
    ports: [{ name: 'metrics', number: 9000 }],
    volumes: [],
  },
  { role: 'kv', deployType: DeployType.STATEFUL_SINGLE, replicas: 1, preset: 'etcd', ports: [], volumes: [] },
];

/** Number of components in one cycle of the mix. */
export const MIX_CYCLE_LENGTH = CYCLE.length;

/** Namespace of the benchmark application's chart. */
export const BENCH_NAMESPACE = 'bench';

/** The first `count` components of the mix. */
export function workloadMix(count: number): ComponentSpec[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`workloadMix: the component count must be a whole number of at least 1, got ${count}`);
  }
  return Array.from({ length: count }, (_, i) => {
    const { role, ...template } = CYCLE[i % CYCLE.length];
    return { ...template, name: `${role}-${i}` };
  });
}
