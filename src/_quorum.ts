/**
 * Pure majority-quorum arithmetic (Raft, Zab, Paxos, Sentinel majority).
 * Nothing here is exported from the package index.
 */

/** Members that must agree: floor(n/2)+1. */
export function quorumSize(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** Members that may fail while a quorum remains: floor((n-1)/2). */
export function faultTolerance(members: number): number {
  return Math.floor((members - 1) / 2);
}

/**
 * Why an even member count is refused, with the two odd neighbours to use instead.
 * Returns undefined for an odd count.
 */
export function evenMemberCountProblem(members: number): string | undefined {
  if (members % 2 === 1) return undefined;
  const lower = members - 1;
  const upper = members + 1;
  return `a quorum cluster needs an odd member count, got ${members}: ${members} members tolerate ${faultTolerance(members)} failure(s), `
    + `the same as ${lower}, and a network split into two halves of ${members / 2} leaves no majority (split-brain risk). `
    + `Use ${lower > 0 ? `${lower} or ` : ''}${upper} members`;
}
