// One error type for every way a tenant config can be wrong, carrying every problem at once: an operator fixing
// a file wants the whole list, not one complaint per attempt.

/** One problem in a tenant config: where (a field path such as `markets[1].tickSize`) and what is wrong. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  /** Where the config came from (a file path), when known. */
  readonly source: string | undefined;

  constructor(issues: readonly ConfigIssue[], source?: string) {
    if (issues.length === 0) throw new Error('ConfigError needs at least one issue');
    const where = source === undefined ? '' : ` in ${source}`;
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid tenant config${where} (${count}):\n${formatConfigIssues(issues)}`);
    this.issues = issues;
    this.source = source;
  }
}

/** One line per issue: `path: message`. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
}

const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['markets', 1, 'tickSize']` -> `markets[1].tickSize`; the empty path is `(root)`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string' && identifierPattern.test(segment))
      path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path === '' ? '(root)' : path;
}
