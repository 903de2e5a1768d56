/**
 * Preset options a caller in plain JavaScript or another jsii language (Python, Java, Go) can get wrong:
 * null, a value of another type, an enum value the enum does not have, NaN. Each is a problem naming the
 * preset, the option and the fix, never a TypeError from inside the library or a silently wrong manifest.
 */
import { Testing } from 'cdk8s';
import { ClusterPreset, DeployType, IClusterPreset, RainbondComponent } from '../../src';
import { imageReferenceProblem } from '../../src/_image-reference';

type Factory = (options?: any) => IClusterPreset;

const PRESETS: [string, Factory][] = [
  ['etcd', ClusterPreset.etcd],
  ['zookeeper', ClusterPreset.zookeeper],
  ['redis-sentinel', ClusterPreset.redisSentinel],
  ['mysql-replication', ClusterPreset.mysqlReplication],
];

function component(preset: IClusterPreset): RainbondComponent {
  return new RainbondComponent(Testing.chart(), 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset });
}

/** The error of a component with `preset`; fails unless it is a list of problems (not a TypeError). */
function refusal(preset: () => IClusterPreset): string {
  let error: unknown;
  try {
    component(preset());
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).constructor).toBe(Error);
  expect((error as Error).message).toMatch(/^RainbondComponent 'db' .* has \d problems?:\n/);
  return (error as Error).message;
}

describe('image overrides no pod can pull', () => {
  test.each([
    ['', 'must not be empty'],
    ['  ', 'must not be blank'],
    [' redis:7.2.7', "' redis:7.2.7' has leading or trailing whitespace, which the API server refuses"],
    ['redis:7.2.7\t', "'redis:7.2.7\t' has leading or trailing whitespace, which the API server refuses"],
    ['redis:7.2.7', undefined],
  ])('imageReferenceProblem(%j)', (image, problem) => {
    expect(imageReferenceProblem(image)).toBe(problem);
  });

  // etcd and ZooKeeper write option names as they are, Redis and MySQL in quotes
  test.each([...PRESETS.map(([system, factory], i) => [system, factory, i < 2 ? 'image' : "'image'"] as const)])('%s: an empty or padded image is refused', (system, factory, name) => {
    expect(refusal(() => factory({ image: '' })))
      .toContain(`[preset ${system}] ${name} must not be empty. Fix: give an image reference such as 'registry.example.com/name:1.2.3', or omit ${name} to use the pinned one.`);
    expect(refusal(() => factory({ image: ' example.com/server:1.0 ' })))
      .toContain(`[preset ${system}] ${name} ' example.com/server:1.0 ' has leading or trailing whitespace, which the API server refuses. Fix: `);
  });

  test.each([['', 'must not be empty'], ['haproxy:2.8 ', "'haproxy:2.8 ' has leading or trailing whitespace"]])('redis-sentinel: proxyImage %j is refused', (image, problem) => {
    expect(refusal(() => ClusterPreset.redisSentinel({ proxyImage: image })))
      .toContain(`[preset redis-sentinel] 'proxyImage' ${problem}`);
  });
});
