import { files, http } from '../../../services';
import { createVisitsApi, datumFor } from '../../../services/visits';
import { PAGES } from '../../../services/pages';

/**
 * The steward subpackage's wiring: the visits API over the app's HTTP client, the check-in photo through the app's
 * one upload path (services/files.ts). Kept here (not in services/index.ts) so the main package does not carry it.
 */
export const visits = createVisitsApi({ http, files, photoName: 'checkin.jpg' });

/** The datum this build's getLocation reports (WeChat: GCJ-02; H5 browser geolocation: WGS-84). */
export const DATUM = datumFor(process.env.TARO_ENV);

/** Pages of this subpackage (from the one table, services/pages.ts); `list` is its index. */
export const STEWARD_PAGES = { ...PAGES.steward, list: PAGES.steward.index } as const;

/** The shared 诉求 detail page (timeline and the caller's actions), owned by the ticket subpackage. */
export const TICKET_DETAIL = PAGES.ticket.detail;

export { pageUrl, param } from '../../../services/navigation';
