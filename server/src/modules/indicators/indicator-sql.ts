/**
 * The ticket conditions every count shares, in one place (docs/metrics.md): the stats, the city view, the ticket list and
 * the indicators build their SQL from these, so "received" and "overdue" cannot mean two things.
 */

/** States in which a ticket is on a department's clock (and can become overdue). */
export const CLOCK_STATES_SQL = `('assigned','accepted','in_progress')`;

/** 受理 (received): a ticket that counts as a problem — neither withdrawn (撤回) nor merged into another. */
export const receivedSql = (t = 't') => `${t}.state NOT IN ('withdrawn','merged')`;

/**
 * 已解决 (solved) as of the instant `asOf` (a SQL expression: the period's end, or now while the period runs): solved
 * by the enterprise's or the 回访's verdict before it, so a past period's figure does not grow with later verdicts.
 */
export const solvedSql = (asOf: string, t = 't') => `(${t}.is_solved AND ${t}.solved_at < ${asOf})`;

/**
 * The nearest deadline still running: the reply deadline, or while waiting for 签收 the accept deadline when it comes
 * first; null off the clock. Exactly the expression that ix_ticket_deadline and ix_ticket_clock_due index.
 */
export const dueSql = (t = 't') => `(CASE WHEN ${t}.state = 'assigned' THEN LEAST(${t}.accept_due_at, ${t}.reply_due_at)
  WHEN ${t}.state IN ('accepted','in_progress','awaiting_info') THEN ${t}.reply_due_at END)`;

/**
 * 超期 (overdue) at the instant `now` (a SQL expression, usually a parameter): on the clock and past the accept
 * deadline while waiting for 签收, or past the reply deadline. The clock states are a top-level conjunct so the
 * planner sees that the partial indexes on open tickets apply; `dueSql < now` (equivalent on the clock) is one too,
 * so that ix_ticket_clock_due rejects the tickets not yet due inside the index, without visiting their heap pages.
 */
export const overdueSql = (now: string, t = 't') =>
  `(${t}.state IN ${CLOCK_STATES_SQL} AND ${dueSql(t)} < ${now} AND ((${t}.state = 'assigned' AND ${t}.accept_due_at < ${now}) OR ${t}.reply_due_at < ${now}))`;
