/**
 * Wrong JavaScript types (what a plain-JavaScript or jsii-language caller can pass) end in the
 * component's problem list, never in a TypeError from inside the library (issue: third new-user
 * trial, class 2).
 */
import { Testing } from 'cdk8s';
import { DeployType, RainbondComponent, RainbondComponentProps } from '../src';
import { errorMessageOf } from './util/synth';

const IMAGE = 'registry.example.com/app:1.2.3';

/** The message of constructing `web` with `props` as given (any JavaScript value). */
function messageFor(props: unknown): string {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'web', props as RainbondComponentProps));
  expect(message).not.toMatch(/TypeError|Cannot read|is not a function|is not iterable/);
  return message;
}

/** Props of a valid stateless component with `extra` laid over them. */
function withProps(extra: { [key: string]: unknown }): unknown {
  return { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: IMAGE, ports: [{ number: 8080 }] }], ...extra };
}

describe('wrong JavaScript types are problems, not TypeErrors', () => {
  test('props undefined', () => {
    expect(messageFor(undefined)).toBe("RainbondComponent 'web' (test/web): props must be an object, got undefined. "
      + "Fix: pass props with at least a deployType, e.g. { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'nginx:1.27' }] }.");
  });

  test('undefined in dependencies', () => {
    expect(messageFor(withProps({ dependencies: [undefined] })))
      .toContain('[dependencies[0]] must be a RainbondComponent, got undefined. Fix: pass components created before this one');
  });

  test('containers that is not an array', () => {
    expect(messageFor(withProps({ containers: { image: IMAGE } }))).toContain('[containers] must be an array, got an object');
  });

  test('a container without an image, and one that is not an object', () => {
    const message = messageFor(withProps({ containers: [{ ports: [{ number: 8080 }] }, 'nginx'] }));
    expect(message).toContain('[containers[0].image] a container needs an image');
    expect(message).toContain("[containers[1]] must be a container (an object with an image), got the string 'nginx'");
  });

  test('a volume without a mount path', () => {
    expect(messageFor(withProps({ volumes: [{ name: 'data' }] }))).toContain('[volumes[0].mountPath] a volume needs a mountPath');
  });

  test('a preset object without bind', () => {
    expect(messageFor(withProps({ deployType: DeployType.STATEFUL_MULTIPLE, preset: { system: 'etcd' } })))
      .toContain('[preset] must be a cluster preset, got an object');
  });

  test('a port setting whose port is a string', () => {
    expect(messageFor(withProps({ portSettings: [{ port: '8080' }] })))
      .toContain("[portSettings[0].port] must be a number, got the string '8080'. Fix: pass the port as a number, e.g. port: 8080 (not in quotes)");
  });

  test('labels with a number value, a deploy type that is missing', () => {
    const message = messageFor({ containers: [{ image: IMAGE }], labels: { version: 2 } });
    expect(message).toContain('[deployType] must be a DeployType, got undefined');
    expect(message).toContain("[labels.version] must be a string, got number 2. Fix: quote the value, e.g. '2'");
  });
  test('a command or args that is no array of strings, and an envFrom entry that is no kplus.EnvFrom', () => {
    const message = messageFor(withProps({ containers: [{ image: IMAGE, command: 'echo hi', args: ['-v', 2], envFrom: ['x'] }] }));
    expect(message).toContain("[containers[0].command] must be an array of strings, got the string 'echo hi'. Fix: pass one string per argument, e.g. command: ['sh', '-c', 'echo hi'].");
    expect(message).toContain('[containers[0].args] must be an array of strings, got an array holding other values.');
    expect(message).toContain("[containers[0].envFrom[0]] must be a kplus.EnvFrom, got the string 'x'. Fix: use kplus.Env.fromConfigMap(configMap) or kplus.Env.fromSecret(secret).");
  });

  test('a flag given as a string is refused: \'false\' would be true', () => {
    const message = messageFor(withProps({
      spreadAcrossNodes: 'false', podDisruptionBudget: 1, volumes: [{ name: 'cache', mountPath: '/cache', type: 'memoryfs', memory: 'false' }],
    }));
    expect(message).toContain("[spreadAcrossNodes] must be true or false, got the string 'false'. Fix: pass spreadAcrossNodes: false (not in quotes), or leave it out.");
    expect(message).toContain('[podDisruptionBudget] must be true or false, got number 1. Fix: pass podDisruptionBudget: true (not in quotes), or leave it out.');
    expect(message).toContain("[volumes[0].memory] must be true or false, got the string 'false'. Fix: pass memory: false (not in quotes), or leave it out.");
  });
});
