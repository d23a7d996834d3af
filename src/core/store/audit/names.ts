// Where a value goes when it moves between stores.

/** The parameter name for a secret name: `app/prod/key` → `/app/prod/key` (a name with a path starts with `/`). */
export function parameterNameFor(secretName: string): string {
  return secretName.includes('/') && !secretName.startsWith('/') ? `/${secretName}` : secretName;
}
