/** The generated CloudFormation template, as plain JSON. */
export interface Template {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown>; readonly DeletionPolicy?: string }
  >;
}

/** Resources of one type with their properties. */
export function resourcesOf(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** One IAM statement, normalised: lists for actions and resources (resources as JSON text). */
export interface Statement {
  readonly role: string;
  readonly Effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition: unknown;
  /** `dynamodb:LeadingKeys` values of the condition, if any. */
  readonly leadingKeys: readonly string[];
}

const asList = <T>(v: T | readonly T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? [...v] : [v as T];

/**
 * Every statement of every IAM role and policy in the template, including the trust policies'
 * `sts:AssumeRole`, so a permission added anywhere is checked.
 */
export function iamStatements(template: Template): Statement[] {
  const out: Statement[] = [];
  const add = (role: string, doc: unknown) => {
    for (const s of asList((doc as { Statement?: unknown } | undefined)?.Statement) as Record<
      string,
      unknown
    >[]) {
      const condition = s.Condition;
      const keys = JSON.stringify(condition ?? {}).match(/"dynamodb:LeadingKeys":\[([^\]]*)\]/)?.[1];
      out.push({
        role,
        Effect: String(s.Effect),
        actions: asList(s.Action as string | string[]),
        resources: asList(s.Resource as unknown).map((r) => JSON.stringify(r)),
        condition,
        leadingKeys: keys === undefined ? [] : (JSON.parse(`[${keys}]`) as string[]),
      });
    }
  };
  for (const [id, props] of [
    ...resourcesOf(template, 'AWS::IAM::Role'),
    ...resourcesOf(template, 'AWS::IAM::Policy'),
  ]) {
    add(id, props.AssumeRolePolicyDocument);
    add(id, props.PolicyDocument);
    for (const p of asList(props.Policies as { PolicyDocument: unknown }[])) add(id, p.PolicyDocument);
  }
  return out;
}
