import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DeployType, RainbondComponent, RainbondComponentProps } from '../src';
import { synthValid } from './util/synth';

const APP = { image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080 }] };

function add(chart: Chart, id: string, props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>) {
  return new RainbondComponent(chart, id, { containers: [APP], ...props });
}

function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synthesis succeeded');
}

describe('objects of one kind, namespace and name across components are refused at synthesis', () => {
  test('two components with the same componentName: every shared object is reported, naming both components', () => {
    const chart = Testing.chart();
    add(chart, 'orders', { deployType: DeployType.STATELESS_SINGLE, componentName: 'shop' });
    add(chart, 'payments', { deployType: DeployType.STATELESS_SINGLE, componentName: 'shop' });
    const message = synthError(chart);
    expect(message).toContain("Deployment default/shop is rendered 2 times, by RainbondComponent 'shop' (test/orders, deploy type stateless_singleton) and by RainbondComponent 'shop' (test/payments, deploy type stateless_singleton)");
    expect(message).toContain('Service default/shop-client is rendered 2 times');
    expect(message).toMatch(/Fix: give each component its own componentName/);
  });

  test("a stateful 'x-client' beside a stateless 'x': the headless Service meets the client Service", () => {
    const chart = Testing.chart();
    add(chart, 'x', { deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 });
    add(chart, 'x-client', { deployType: DeployType.STATEFUL_SINGLE });
    const message = synthError(chart);
    expect(message).toContain("Service default/x-client is rendered 2 times, by RainbondComponent 'x' (test/x, deploy type stateless_multiple) and by RainbondComponent 'x-client' (test/x-client, deploy type state_singleton)");
    expect(message).not.toMatch(/StatefulSet|Deployment/);
  });

  test('a plain object of the user with the name of a component object, in another chart of the same App', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const extras = new Chart(app, 'extras', { namespace: 'shop' });
    add(shop, 'web', { deployType: DeployType.STATELESS_SINGLE });
    new kplus.Service(extras, 'my-service', { metadata: { name: 'web-client' }, ports: [{ port: 80 }] });
    const message = synthError(shop);
    expect(message).toContain("Service shop/web-client is rendered 2 times, by RainbondComponent 'web' (shop/web, deploy type stateless_singleton) and by the construct extras/my-service/Resource (not a RainbondComponent)");
    // App.synth runs the same validation before writing anything
    expect(() => app.synth()).toThrow(/Service shop\/web-client is rendered 2 times/);
  });

  test('the same names in different namespaces, or of different kinds, are fine', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    const b = new Chart(app, 'b', { namespace: 'b' });
    add(a, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    add(b, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    // a stateless 'cache' with a volume 'client' has the claim cache-client beside its Service cache-client: two kinds
    add(a, 'other', { deployType: DeployType.STATELESS_SINGLE, componentName: 'cache', volumes: [{ name: 'client', mountPath: '/c' }] });
    expect(synthValid(a).length).toBeGreaterThan(0);
    expect(synthValid(b).length).toBeGreaterThan(0);
  });

  test('an object written without a namespace meets the component objects of a chart without one (both land in default)', () => {
    const chart = Testing.chart(); // no namespace: the component writes 'default'
    add(chart, 'web', { deployType: DeployType.STATELESS_SINGLE });
    new ApiObject(chart, 'mine', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-client' } });
    expect(synthError(chart)).toContain("Service default/web-client is rendered 2 times, by RainbondComponent 'web' (test/web, deploy type stateless_singleton) and by the construct test/mine (not a RainbondComponent)");
  });

  test('an object without a namespace is another object than one in a namespace other than default', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const extras = new Chart(app, 'extras'); // no namespace: its objects keep none
    add(shop, 'web', { deployType: DeployType.STATELESS_SINGLE });
    new ApiObject(extras, 'mine', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-client' } });
    expect(() => Testing.synth(shop)).not.toThrow();
  });

  test('objects that are not a component\'s are left to their owner', () => {
    const chart = Testing.chart();
    add(chart, 'web', { deployType: DeployType.STATELESS_SINGLE });
    new kplus.ConfigMap(chart, 'one', { metadata: { name: 'settings' } });
    new kplus.ConfigMap(chart, 'two', { metadata: { name: 'settings' } });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('one name shared by objects of several identities: each identity is judged on its own, API group included', () => {
    const chart = Testing.chart();
    // a StatefulSet, its governing Service and its disruption budget are all named 'db'
    add(chart, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    // the same kind and name in another API group is another object
    new ApiObject(chart, 'knative', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' } });
    expect(() => Testing.synth(chart)).not.toThrow();
    // a second core Service 'db' is a duplicate, and only it is reported
    new ApiObject(chart, 'core', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' } });
    const message = synthError(chart);
    expect(message).toContain("Service default/db is rendered 2 times, by RainbondComponent 'db' (test/db, deploy type state_multiple) and by the construct test/core (not a RainbondComponent)");
    expect(message.match(/is rendered/g)).toHaveLength(1);
  });
});
