/**
 * `addressLabel` must be cdk8s's `Names.toLabelValue` for every construct path: the pods of a
 * plainly rendered workload carry it as `cdk8s.io/metadata.addr`, and the cdk8s-plus rendering
 * (which calls cdk8s) must write the same label.
 */
import { App, Chart, Names } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { addressLabel } from '../src/_address-label';

/** A construct at the end of `ids`, each id a child of the one before, under a fresh App. */
function constructAt(ids: readonly string[]): Construct {
  let scope: Construct = new App();
  for (const id of ids) scope = new Construct(scope, id);
  return scope;
}

/** Ids as apps write them, and the ones cdk8s treats specially: hidden, default children, separators, long. */
const constructId = fc.oneof(
  fc.constantFrom('Default', 'Resource', 'default', 'RESOURCE', 'Workload', 'web-0', 'a-b', '--', '-x-', '.x', '_y',
    'Resource-Default', 'x-resource-y', 'x-Default', 'a'.repeat(63), 'b'.repeat(64), 'Étoile', 'web 1'),
  fc.stringMatching(/^[a-zA-Z0-9\-_. :/]{1,80}$/),
  fc.string({ minLength: 1, maxLength: 70 }),
).filter(id => !(id in Object.prototype)); // constructs keeps children in a plain object

describe('addressLabel', () => {
  test('is Names.toLabelValue for every path: random ids, 1 to 7 levels deep, long paths cut at 63 characters', () => {
    fc.assert(fc.property(fc.array(constructId, { minLength: 1, maxLength: 7 }), ids => {
      const construct = constructAt(ids);
      expect(addressLabel(construct)).toBe(Names.toLabelValue(construct));
    }), { numRuns: 5000 });
  });

  test('a workload of a component in a chart: the path parts and the address hash', () => {
    const workload = constructAt(['bench', 'web-0', 'Workload']);
    const label = addressLabel(workload);
    expect(label).toBe(`bench-web-0-Workload-${workload.node.addr.substring(0, 8)}`);
    expect(label).toBe(Names.toLabelValue(workload));
  });

  test('a construct right under the app keeps a valid id as it is', () => {
    expect(addressLabel(constructAt(['my-chart']))).toBe('my-chart');
    expect(addressLabel(new App())).toBe(Names.toLabelValue(new App()));
  });

  test('with CDK8S_LEGACY_HASH set, cdk8s computes the label (its legacy hash)', () => {
    const workload = new Construct(new Chart(new App(), 'legacy'), 'Workload');
    const modern = addressLabel(workload);
    process.env.CDK8S_LEGACY_HASH = '1';
    try {
      const legacy = addressLabel(workload);
      expect(legacy).toBe(Names.toLabelValue(workload));
      expect(legacy).not.toBe(modern);
    } finally {
      delete process.env.CDK8S_LEGACY_HASH;
    }
  });
});
