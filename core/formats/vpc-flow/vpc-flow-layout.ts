/**
 * AWS VPC Flow Logs fields, in the order of the default (version 2) format. Custom formats
 * (versions 3-5 and later) pick any subset in any order and name it in the header line that
 * S3 delivery writes; CloudWatch delivery has no header, so a file without one is read in
 * this order. Source: AWS VPC User Guide, "Flow log records" (available fields table).
 */
export const VPC_V2_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol',
  'packets', 'bytes', 'start', 'end', 'action', 'log-status',
] as const;

/** Every field name AWS documents up to version 5 (and the ones added later), for sniffing headers. */
export const VPC_KNOWN_FIELDS = new Set<string>([
  ...VPC_V2_FIELDS,
  // v3
  'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr',
  // v4
  'region', 'az-id', 'sublocation-type', 'sublocation-id',
  // v5
  'pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path',
  // v7/v8
  'ecs-cluster-arn', 'ecs-cluster-name', 'ecs-container-instance-arn', 'ecs-container-instance-id',
  'ecs-container-id', 'ecs-second-container-id', 'ecs-service-name', 'ecs-task-definition-arn',
  'ecs-task-arn', 'ecs-task-id', 'reject-reason',
]);

/** Fields with a flows column of their own; all others go to attrs under their AWS name. */
export const VPC_MAPPED_FIELDS = new Set<string>([
  'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action',
]);
