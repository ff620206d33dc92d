/** A configured check: the leaders of a department look at every draft before its signer. */
export interface ConfiguredStep {
  readonly departmentId: string;
  /** The department has someone to decide: a step nobody can take would hold every draft. */
  readonly hasLeader: boolean;
}

/** One step of the chain a draft is given: a department's check, or the signer's signature last. */
export type ChainStep =
  | { readonly position: number; readonly departmentId: string; readonly signerId: null }
  | { readonly position: number; readonly departmentId: null; readonly signerId: string };

/**
 * The chain a draft goes up when submitted for signature: the agency's configured checks in their
 * order, each department once, those without a leader left out, then the signer (Nghị định 30/2020:
 * the head of the drafting unit answers for the content, the Văn phòng for form and procedure,
 * the signer last).
 */
export function approvalChain(configured: readonly ConfiguredStep[], signerId: string): ChainStep[] {
  const seen = new Set<string>();
  const checks = configured.filter((s) => s.hasLeader && !seen.has(s.departmentId) && seen.add(s.departmentId));
  return [
    ...checks.map((s, i) => ({ position: i + 1, departmentId: s.departmentId, signerId: null })),
    { position: checks.length + 1, departmentId: null, signerId },
  ];
}

/** The step after `position`, or null when `position` was the last. */
export function nextStep(chain: readonly ChainStep[], position: number): ChainStep | null {
  return chain.find((s) => s.position === position + 1) ?? null;
}
