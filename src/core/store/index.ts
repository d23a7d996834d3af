// Beyond browsing (issue 14): environment parity, verify before deploy, the account audit, find references, and
// export/import. Pure decisions only; the AWS layer (src/aws) does the listing and the reads.
export * from './compare';
export * as audit from './audit/index';
export { buildReport, auditMarkdown, auditJson, mdCell, type AuditReport } from './audit/report';
export { iacReads, secretNameFromId, type IacRead, type IacReadVia } from './iacReads';
export { findReferences, nameMatches, type NameReference, type ReferenceKind, type SourceFile } from './references';
export { substituteStage, stageEnvironment, STAGE_VARIABLES, STAGE_ENV_VARS, type StageOptions, type Substituted } from './stage';
export {
  verifyReferences, namesToLookUp, lookupKey, judgeReference, verifySummary,
  type VerifyRef, type VerifyIssue, type VerifyCode, type NameLookup, type VerifyInput, type VerifySummary,
} from './verify';
export * from './transfer';
export { validateNew, decide, monthlyCost, type Destination } from '../manage';
