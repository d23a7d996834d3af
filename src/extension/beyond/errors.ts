import type * as Aws from '../../aws/index';

/** What went wrong and what to do next (a classified AWS error), or the error's message. Never a value. */
export function errorText(e: unknown): string {
  const info = (e as { info?: Aws.AwsErrorInfo }).info;
  return info ? `${info.message} ${info.nextStep}` : ((e as Error)?.message ?? String(e));
}
