import { CDK8S_ADDR_LABEL, changedTemplateFields, constructAddress } from '../../src/guard/template-diff';

const template = (addr: string, image = 'postgres:16', memory = '1Gi') => ({
  metadata: { labels: { 'app.kubernetes.io/name': 'db', [CDK8S_ADDR_LABEL]: addr } },
  spec: { containers: [{ name: 'main', image, resources: { limits: { memory } } }, { name: 'sidecar', image: 'busybox:1' }] },
});

describe('changedTemplateFields', () => {
  test('a label key with dots and slashes is written in brackets', () => {
    expect(changedTemplateFields(template('chart-db-Workload-1'), template('chart-data-db-Workload-2')))
      .toEqual(['spec.template.metadata.labels["cdk8s.io/metadata.addr"]']);
  });

  test('named list items are addressed by name; quantities compare by value', () => {
    expect(changedTemplateFields(template('a', 'postgres:16', '1Gi'), template('a', 'postgres:17', '1024Mi')))
      .toEqual(['spec.template.spec.containers[main].image']);
    expect(changedTemplateFields(template('a'), template('b', 'postgres:17', '2Gi'))).toEqual([
      'spec.template.metadata.labels["cdk8s.io/metadata.addr"]',
      'spec.template.spec.containers[main].image',
      'spec.template.spec.containers[main].resources.limits.memory',
    ]);
  });

  test('added and removed fields are named; unnamed lists are named as a whole', () => {
    const before = { spec: { containers: [{ name: 'main', args: ['a'] }] } };
    const after = { spec: { containers: [{ name: 'main', args: ['b'], command: ['x'] }], nodeSelector: { zone: 'a' } } };
    expect(changedTemplateFields(before, after)).toEqual([
      'spec.template.spec.containers[main].args', 'spec.template.spec.containers[main].command', 'spec.template.spec.nodeSelector',
    ]);
    expect(changedTemplateFields(before, before)).toEqual([]);
  });

  test('constructAddress reads the cdk8s-plus label', () => {
    expect(constructAddress(template('x'))).toBe('x');
    expect(constructAddress({})).toBeUndefined();
  });
});
