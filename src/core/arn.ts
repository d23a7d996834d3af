// ARNs and AWS Console links for parameters and secrets. Pure string work, shared by the explorer,
// hovers and IAM policy generation.

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** `arn:aws:ssm:<region>:<account>:parameter/<path>`; a name without a leading `/` gets one. */
export function parameterArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:ssm:${region}:${account}:parameter${name.startsWith('/') ? name : `/${name}`}`;
}

/**
 * The resource pattern for a secret by name: Secrets Manager appends `-` and six random characters to
 * every secret ARN, so the exact grant is `secret:<name>-??????`.
 */
export function secretArnPattern(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:secretsmanager:${region}:${account}:secret:${name}-??????`;
}

function consoleHost(region: string): string {
  const p = partitionOf(region);
  if (p === 'aws-cn') return 'console.amazonaws.cn';
  if (p === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

export function parameterConsoleUrl(region: string, name: string): string {
  // The console double-encodes the name in the path (`/` → %252F).
  return `https://${consoleHost(region)}/systems-manager/parameters/${encodeURIComponent(encodeURIComponent(name))}/description?region=${region}&tab=Table`;
}

export function parameterFolderConsoleUrl(region: string, path: string): string {
  return `https://${consoleHost(region)}/systems-manager/parameters/?region=${region}&tab=Table#list_parameter_filters=Path:Recursive:${encodeURIComponent(path)}`;
}

export function secretConsoleUrl(region: string, name: string): string {
  return `https://${consoleHost(region)}/secretsmanager/secret?name=${encodeURIComponent(name)}&region=${region}`;
}

export function secretFolderConsoleUrl(region: string, path: string): string {
  return `https://${consoleHost(region)}/secretsmanager/listsecrets?region=${region}&search=${encodeURIComponent(`name=${path}`)}`;
}
