import { files, http } from '../../../services';
import { createVisitsApi, datumFor } from '../../../services/visits';

/**
 * The steward subpackage's wiring: the visits API over the app's HTTP client, the check-in photo through the app's
 * one upload path (services/files.ts). Kept here (not in services/index.ts) so the main package does not carry it.
 */
export const visits = createVisitsApi({ http, files, photoName: 'checkin.jpg' });

/** The datum this build's getLocation reports (WeChat: GCJ-02; H5 browser geolocation: WGS-84). */
export const DATUM = datumFor(process.env.TARO_ENV);

/** Pages of this subpackage. */
export const STEWARD_PAGES = {
  list: '/packages/steward/pages/index/index',
  enterprise: '/packages/steward/pages/enterprise/index',
  checkin: '/packages/steward/pages/checkin/index',
  contact: '/packages/steward/pages/contact/index',
  visit: '/packages/steward/pages/visit/index',
  ticket: '/packages/steward/pages/ticket/index',
} as const;

/** The shared 诉求 detail page (timeline and the caller's actions), owned by the ticket subpackage. */
export const TICKET_DETAIL = '/packages/ticket/pages/detail/index';

export { pageUrl, param } from '../../../services/navigation';
