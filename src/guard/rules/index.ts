import { COMPONENT_ADDED } from './added';
import { AUTOSCALER_HANDOVER } from './autoscaler';
import { CLAIM_EXPANSION } from './claim-expansion';
import { CLIENT_SERVICE_RENAMED } from './client-service';
import { DEPLOY_TYPE_SWITCH } from './deploy-type-switch';
import { SINGLE_INSTANCE_DOWNTIME } from './downtime';
import { IMMUTABLE_FIELD } from './immutable-field';
import { EVEN_MEMBER_COUNT, QUORUM_MEMBER_CHANGE } from './quorum';
import { SHARED_CLAIM_REMOVED, STATEFUL_CLAIMS_DELETED, STATEFUL_COMPONENT_REMOVED, STATEFUL_COMPONENT_RENAMED } from './removed';
import { RuleDefinition } from './rule';
import { STATEFUL_SCALE_DOWN } from './scale-down';
import { SHARED_RWO_VOLUME, SINGLE_INSTANCE_REPLICAS } from './single-multiple';
import { WORKLOAD_REPLACED } from './workload-replaced';

/** Every rule, in the order findings are reported. */
export const RULES: readonly RuleDefinition[] = [
  DEPLOY_TYPE_SWITCH,
  WORKLOAD_REPLACED,
  IMMUTABLE_FIELD,
  CLIENT_SERVICE_RENAMED,
  QUORUM_MEMBER_CHANGE,
  EVEN_MEMBER_COUNT,
  STATEFUL_SCALE_DOWN,
  SHARED_RWO_VOLUME,
  SINGLE_INSTANCE_REPLICAS,
  AUTOSCALER_HANDOVER,
  STATEFUL_COMPONENT_RENAMED,
  STATEFUL_CLAIMS_DELETED,
  SHARED_CLAIM_REMOVED,
  SINGLE_INSTANCE_DOWNTIME,
  CLAIM_EXPANSION,
  STATEFUL_COMPONENT_REMOVED,
  COMPONENT_ADDED,
];
