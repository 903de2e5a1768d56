/**
 * cdk8s-plus workloads with the fields cdk8s-plus-28 cannot express:
 * stable label selectors (no construct-path hash), volumeClaimTemplates,
 * a PVC retention policy and preferred (not required) instance spreading.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { withFields } from './_objects';

/** A claim template rendered into `spec.volumeClaimTemplates`. */
export interface ClaimTemplate {
  readonly name: string;
  readonly storage: string;
  readonly accessMode: string;
  readonly storageClassName?: string;
  readonly labels: { [key: string]: string };
  /** Annotations of the claim template (the Rainbond volume type). */
  readonly annotations?: { [key: string]: string };
  /** Where every container and init container mounts the claim. */
  readonly mountPath: string;
}

/** Identity every pod template shares. */
export interface StableIdentity {
  /** Labels that select the pods; they never change between releases. */
  readonly selectorLabels: { [key: string]: string };
  /** Add a preferred pod anti-affinity term on the node hostname. */
  readonly spreadAcrossNodes: boolean;
}

/** Weight of the preferred anti-affinity term (the highest the API allows). */
const SPREAD_WEIGHT = 100;

/** The workload selector of a stable identity: its labels only, never cdk8s-plus's hashed address label. */
export function stableSelector(identity: StableIdentity): { matchLabels: { [key: string]: string } } {
  return { matchLabels: { ...identity.selectorLabels } };
}

/**
 * The pod affinity with the stable identity's preferred hostname anti-affinity term added
 * (when `spreadAcrossNodes`), keeping any affinity already there.
 */
export function stableAffinity(affinity: kplus.k8s.Affinity | undefined, identity: StableIdentity): kplus.k8s.Affinity | undefined {
  if (!identity.spreadAcrossNodes) return affinity;
  const antiAffinity = affinity?.podAntiAffinity;
  return withFields(affinity, {
    podAntiAffinity: withFields(antiAffinity, {
      preferredDuringSchedulingIgnoredDuringExecution: [
        ...antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
        {
          weight: SPREAD_WEIGHT,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: stableSelector(identity) },
        },
      ],
    }),
  });
}

/**
 * Replaces cdk8s-plus's hashed selector with the stable labels and adds a preferred hostname
 * anti-affinity term, keeping any affinity the user added. Changes `spec` in place: cdk8s-plus's
 * `_toKube` builds a fresh spec on every call.
 */
export function applyStableIdentity<T extends { selector: kplus.k8s.LabelSelector; template: kplus.k8s.PodTemplateSpec }>(
  spec: T, identity: StableIdentity): T {
  const podSpec = spec.template.spec!;
  Object.assign(podSpec, { affinity: stableAffinity(podSpec.affinity, identity) });
  return Object.assign(spec, { selector: stableSelector(identity) });
}

/** Properties of `ClaimingStatefulSet`. */
export interface ClaimingStatefulSetProps extends kplus.StatefulSetProps {
  readonly identity: StableIdentity;
  readonly claimTemplates: ClaimTemplate[];
  /**
   * `enableServiceLinks` of the pod spec (cdk8s-plus-28 has no prop for it).
   * @default - not rendered (Kubernetes defaults to true)
   */
  readonly enableServiceLinks?: boolean;
}

/**
 * A cdk8s-plus StatefulSet that renders volumeClaimTemplates, mounts each into every
 * container and init container by name (without a pod volume: the StatefulSet
 * controller adds one per claim) and retains every claim when scaled down or deleted.
 */
export class ClaimingStatefulSet extends kplus.StatefulSet {
  private readonly identity: StableIdentity;
  private readonly claimTemplates: ClaimTemplate[];
  private readonly enableServiceLinks?: boolean;

  constructor(scope: Construct, id: string, props: ClaimingStatefulSetProps) {
    super(scope, id, withFields(props, { select: false }));
    this.identity = props.identity;
    this.claimTemplates = props.claimTemplates;
    this.enableServiceLinks = props.enableServiceLinks;
  }

  /** @internal */
  public _toKube(): kplus.k8s.StatefulSetSpec {
    // changed in place: super._toKube() builds a fresh spec, pod spec and containers on every call
    const spec = applyStableIdentity(super._toKube(), this.identity);
    const podSpec = spec.template.spec!;
    if (this.claimTemplates.length > 0) {
      const claimMounts = this.claimTemplates.map(t => ({ name: t.name, mountPath: t.mountPath }));
      for (const container of [...podSpec.containers, ...podSpec.initContainers ?? []]) {
        Object.assign(container, { volumeMounts: [...container.volumeMounts ?? [], ...claimMounts] });
      }
    }
    Object.assign(podSpec, { enableServiceLinks: this.enableServiceLinks });
    return Object.assign(spec, {
      volumeClaimTemplates: this.claimTemplates.length > 0 ? this.claimTemplates.map(renderClaimTemplate) : undefined,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  }
}

export function renderClaimTemplate(template: ClaimTemplate): kplus.k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: template.name, labels: { ...template.labels }, annotations: template.annotations && { ...template.annotations } },
    spec: {
      accessModes: [template.accessMode],
      storageClassName: template.storageClassName,
      resources: { requests: { storage: kplus.k8s.Quantity.fromString(template.storage) } },
    },
  };
}

/** Properties of `StableDeployment`. */
export interface StableDeploymentProps extends kplus.DeploymentProps {
  readonly identity: StableIdentity;
}

/** A cdk8s-plus Deployment selected by stable labels, spread by preference. */
export class StableDeployment extends kplus.Deployment {
  private readonly identity: StableIdentity;

  constructor(scope: Construct, id: string, props: StableDeploymentProps) {
    super(scope, id, withFields(props, { select: false }));
    this.identity = props.identity;
  }

  /** @internal */
  public _toKube(): kplus.k8s.DeploymentSpec {
    return applyStableIdentity(super._toKube(), this.identity);
  }
}

/**
 * A Service whose selector is only the labels it is given: cdk8s-plus's
 * StatefulSet would otherwise add its construct-path hash label to its governing Service.
 */
export class LabelSelectedService extends kplus.Service {
  public select(_selector: kplus.IPodSelector): void {
    // Selection is by stable labels only (see selectLabel).
  }
}
