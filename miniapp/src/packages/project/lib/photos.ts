import { files, http } from '../../../services';
import { createVisitsApi } from '../../../services/visits';

/**
 * Evidence photos of a stage change (and the 调度 form): uploaded like a check-in photo (POST /visit-photos, the
 * steward's camera upload) and referenced by id. Wired here so the main package does not carry the upload code,
 * and so this subpackage does not import another subpackage's module.
 */
export const photoApi = createVisitsApi({ http, files, photoName: 'evidence.jpg' });
