import type { AuthUser } from '../../lib/principal';
import type { Bind, Visibility } from '../../lib/policy';

/**
 * Who reads and marks a notification: only the person it was written to, whatever their roles — a coordinator
 * does not read a department's notifications (they see the tickets and 督办单 themselves). Another person's
 * notification is not found.
 */

export type NotificationFacts = { district_id: string; person_id: string };

export function maySeeNotification(auth: AuthUser, n: NotificationFacts): boolean {
  return auth.districtId === n.district_id && auth.id === n.person_id;
}

/** The same rule as SQL on table `notification` (unaliased). */
export function notificationVisibilitySql(auth: AuthUser, p: Bind): Visibility {
  return `person_id = ${p(auth.id)}`;
}
