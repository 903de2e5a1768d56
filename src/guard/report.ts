/**
 * Result types of the change guard (`ManifestGuard`). Plain data, so a
 * report can be printed, serialized to JSON or inspected from any jsii language.
 */

/** How a finding affects the outcome of a guard run. */
export enum GuardSeverity {
  /** The change must not be applied as is: the guard fails unless the rule is allowed. */
  BLOCKING = 'blocking',
  /** Worth knowing before the apply (e.g. downtime); never fails the guard. */
  NOTICE = 'notice',
}

/**
 * The rules the guard checks. The values are stable identifiers, used by
 * `GuardOptions.allow` and the CLI's `--allow`.
 */
export enum GuardRule {
  /** Stateful <-> stateless switch of a component with persistent storage. */
  DEPLOY_TYPE_SWITCH = 'deploy-type-switch',
  /** Stateful <-> stateless switch of a component without persistent storage: the workload is replaced, all pods at once. */
  WORKLOAD_REPLACED = 'workload-replaced',
  /** A change the API server refuses on apply (immutable StatefulSet/Deployment/Service/claim fields). */
  IMMUTABLE_FIELD = 'immutable-field',
  /** The member count of a clustered (quorum) preset changes. */
  QUORUM_MEMBER_CHANGE = 'quorum-member-change',
  /** A clustered (quorum) preset is scaled to an even member count. */
  EVEN_MEMBER_COUNT = 'even-member-count',
  /** A stateful component loses instances; their retained claims keep stale data. */
  STATEFUL_SCALE_DOWN = 'stateful-scale-down',
  /** A ReadWriteOnce claim becomes shared by several replicas. */
  SHARED_RWO_VOLUME = 'shared-rwo-volume',
  /** A single-instance deploy type gets more than one replica. */
  SINGLE_INSTANCE_REPLICAS = 'single-instance-replicas',
  /** A single-instance stateful component is updated: stop, then start (downtime). */
  SINGLE_INSTANCE_DOWNTIME = 'single-instance-downtime',
  /** A stateful component disappears and its claims stay behind (`whenDeleted: Retain`). */
  STATEFUL_COMPONENT_REMOVED = 'stateful-component-removed',
  /** A stateful component disappears and its claims are deleted with it (`whenDeleted: Delete`). */
  STATEFUL_CLAIMS_DELETED = 'stateful-claims-deleted',
  /** A stateful component is renamed or moved to another namespace: it starts on new, empty claims. */
  STATEFUL_COMPONENT_RENAMED = 'stateful-component-renamed',
  /** A stateless component's claim disappears from the manifests: pruning applies delete it and its volume. */
  SHARED_CLAIM_REMOVED = 'shared-claim-removed',
  /** The client (cluster IP) Service of a component changes its name: clients using the old name break. */
  CLIENT_SERVICE_RENAMED = 'client-service-renamed',
  /** A fixed replica count is handed to a HorizontalPodAutoscaler: dropping spec.replicas resets it to 1 on apply. */
  AUTOSCALER_HANDOVER = 'autoscaler-handover',
  /** A component that is not deployed yet (every component of a first deployment). */
  COMPONENT_ADDED = 'component-added',
  /** A stateless component's claim grows: accepted only if its StorageClass allows volume expansion. */
  CLAIM_EXPANSION = 'claim-expansion',
}

/** One problem the guard found in a change. */
export interface GuardFinding {
  /** The rule that produced the finding. */
  readonly rule: GuardRule;
  /** Whether the finding blocks the apply. */
  readonly severity: GuardSeverity;
  /** Namespace of the component. */
  readonly namespace: string;
  /** Name of the component (`rainbond.io/component`). */
  readonly component: string;
  /** The objects concerned, as `Kind namespace/name`. */
  readonly objects: string[];
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it, in order. */
  readonly steps: string[];
  /** True when the rule was acknowledged with `allow`; an acknowledged finding never blocks. */
  readonly acknowledged: boolean;
}

/** The findings of one component. */
export interface GuardComponentReport {
  /** Namespace of the component. */
  readonly namespace: string;
  /** Name of the component. */
  readonly component: string;
  /** Summary of the change, e.g. `state_multiple, 3 -> 5 replicas, preset etcd`. */
  readonly change: string;
  /** Findings, blocking ones first. */
  readonly findings: GuardFinding[];
}

/** The outcome of comparing what is deployed now with what is about to be applied. */
export interface GuardReport {
  /** Every component found in either input, sorted by namespace and name. */
  readonly components: GuardComponentReport[];
  /** True when at least one blocking finding is not acknowledged. */
  readonly blocked: boolean;
  /** Number of blocking findings that are not acknowledged. */
  readonly blockingCount: number;
  /** Number of notices. */
  readonly noticeCount: number;
  /** Number of blocking findings acknowledged with `allow`. */
  readonly acknowledgedCount: number;
  /** Objects of cdk8s-rainbond components the guard did not check (a kind it does not know), each with the reason. */
  readonly skipped: string[];
  /** Objects not made by cdk8s-rainbond (no `rainbond.io/component` annotation), not checked. */
  readonly foreign: string[];
}

/** Options of the text rendering of a report. */
export interface GuardFormatOptions {
  /**
   * Also list the components without findings and the objects not made by cdk8s-rainbond.
   * @default false
   */
  readonly verbose?: boolean;
}

/** Options of a guard run. */
export interface GuardOptions {
  /**
   * Rules acknowledged on purpose: `<rule>` for every component, or
   * `<rule>:<component>` / `<rule>:<namespace>/<component>` for one.
   * An acknowledged finding is still reported but does not block.
   * @default - nothing is acknowledged
   */
  readonly allow?: string[];
}
