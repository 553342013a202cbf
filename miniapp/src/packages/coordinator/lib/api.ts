import { http } from '../../../services';
import { createAdminApi } from '../../../services/admin';
import { PAGES } from '../../../services/pages';

/** The coordinator subpackage's API (queues, actions, configuration), over the app's HTTP client. */
export const admin = createAdminApi(http);

/** Pages of this subpackage (from the one table, services/pages.ts). */
export const CO_PAGES = PAGES.coordinator;

export { pageUrl, param } from '../../../services/navigation';

/** Field errors of a failed call for the fields a form shows; the rest (or a non-field failure) under `form`. */
export { formErrors } from '../../../services/form-errors';
