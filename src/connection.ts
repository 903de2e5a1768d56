import * as kplus from 'cdk8s-plus-28';
import { describeValue } from './_kube-rules';

/** The Secret and key a `fromSecretKey` value refers to. */
type SecretKeyReference = { readonly secret: kplus.ISecret; readonly key: string };

/**
 * The value of one connection variable a component offers to the components that
 * depend on it (Rainbond's 连接信息): a plain value, or a reference to a key of a
 * Kubernetes Secret, so that a password is never written into a manifest in clear.
 */
export class ConnectionValue {
  /**
   * A plain value, written into the manifest as is. Refused for variables whose name says
   * they hold a secret (PASSWORD, SECRET, TOKEN, ...): use `fromSecretKey` for those.
   */
  public static fromValue(value: string): ConnectionValue {
    if (typeof value !== 'string') {
      // an environment variable's value is a string: anything else renders a variable the API server refuses, or none
      throw new Error(`ConnectionValue.fromValue: value must be a string, got ${describeValue(value)}. `
        + `Fix: quote it, e.g. ConnectionValue.fromValue('${typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'value'}').`);
    }
    return new ConnectionValue(kplus.EnvValue.fromValue(value), value);
  }

  /** A key of a Secret in the dependant's namespace, read by the kubelet when the pod starts. */
  public static fromSecretKey(secret: kplus.ISecret, key: string): ConnectionValue {
    if (typeof secret !== 'object' || secret === null) {
      // cdk8s-plus would fail with a TypeError reading its name
      throw new Error(`ConnectionValue.fromSecretKey: secret must be a Secret, got ${describeValue(secret)}. `
        + 'Fix: pass a kplus.Secret, or kplus.Secret.fromSecretName(scope, id, name) for one made outside the app.');
    }
    return new ConnectionValue(kplus.EnvValue.fromSecretValue({ secret, key }), undefined, { secret, key });
  }

  /** The environment value injected into the dependants' containers. */
  public readonly envValue: kplus.EnvValue;
  /** The plain value; undefined for a Secret reference. */
  public readonly plainValue?: string;

  /**
   * The Secret and key of `fromSecretKey`, for the component's checks.
   * @internal
   */
  public readonly _secretKey?: SecretKeyReference;

  private constructor(envValue: kplus.EnvValue, plainValue: string | undefined, secretKey?: SecretKeyReference) {
    this.envValue = envValue;
    this.plainValue = plainValue;
    this._secretKey = secretKey;
  }
}

/** Options of `RainbondComponent.dependsOn`. */
export interface DependencyOptions {
  /**
   * Add an init container that waits until the dependency's first TCP port accepts
   * connections before the component's containers start.
   * @default - the component's `waitForDependencies`
   */
  readonly waitForPort?: boolean;
}
