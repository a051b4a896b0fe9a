/**
 * Pure tables and helpers the renderer shares with the core: no I/O, no Node, safe to bundle.
 * The renderer imports these (and the contract's types) instead of reaching into the layers,
 * so that a rule is written once.
 */
export { isIcmp, protoName } from '../model/protocols';
/** TCP flags as the CLI, the exports and the app write them (nfdump's CEUAPRSF). */
export { tcpFlagsText } from '../model/tcp-flags';
export { ISSUE_CODES, issueCodeInfo, type IssueCode, type IssueCodeInfo, type IssueSeverity } from '../formats/issue-codes';
export { checkOptionValue, type FormatOption, type OptionKind } from '../formats/format-options';
/** The IPAudit date rule: the day (and interval start) a file's time-of-day columns belong to. */
export { ipauditDay, type IpauditDay } from '../formats/ipaudit/ipaudit-date';
/** The detection kinds and severities (#12), for the detections view's filters. */
export { DETECTION_KINDS, SEVERITIES } from '../analysis/detect/detection-types';
