import { http } from '../../../services';
import { createAdminApi } from '../../../services/admin';

/** The coordinator subpackage's API (queues, actions, configuration), over the app's HTTP client. */
export const admin = createAdminApi(http);

/** Pages of this subpackage. */
export const CO_PAGES = {
  index: '/packages/coordinator/pages/index/index',
  queue: '/packages/coordinator/pages/queue/index',
  dispatch: '/packages/coordinator/pages/dispatch/index',
  meeting: '/packages/coordinator/pages/meeting/index',
  supervisions: '/packages/coordinator/pages/supervisions/index',
  followups: '/packages/coordinator/pages/followups/index',
  categories: '/packages/coordinator/pages/categories/index',
  rules: '/packages/coordinator/pages/rules/index',
  calendar: '/packages/coordinator/pages/calendar/index',
  departments: '/packages/coordinator/pages/departments/index',
  areas: '/packages/coordinator/pages/areas/index',
  people: '/packages/coordinator/pages/people/index',
  assignments: '/packages/coordinator/pages/assignments/index',
  visits: '/packages/coordinator/pages/visits/index',
} as const;

export { pageUrl, param } from '../../../services/navigation';

/** Field errors of a failed call for the fields a form shows; the rest (or a non-field failure) under `form`. */
export { formErrors } from '../../../services/form-errors';
