import { Foundation1764100000000 } from '../../migrations/1764100000000-Foundation';
import { Notifications1764150000000 } from '../../migrations/1764150000000-Notifications';
import { Tickets1764200000000 } from '../../migrations/1764200000000-Tickets';
import { Visits1764300000000 } from '../../migrations/1764300000000-Visits';
import { VisitTicketLink1764300000001 } from '../../migrations/1764300000001-VisitTicketLink';
import { Scopes1764400000000 } from '../../migrations/1764400000000-Scopes';
import { AuthHardening1764410000000 } from '../../migrations/1764410000000-AuthHardening';
import { FiniteNumbers1764405000000 } from '../../migrations/1764405000000-FiniteNumbers';
import { Projects1764450000000 } from '../../migrations/1764450000000-Projects';
import { Performance1764430000000 } from '../../migrations/1764430000000-Performance';
import { GoingLive1764470000001 } from '../../migrations/1764470000001-GoingLive';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const migrations = [
  Foundation1764100000000,
  Notifications1764150000000,
  Tickets1764200000000,
  Visits1764300000000,
  VisitTicketLink1764300000001,
  Scopes1764400000000,
  AuthHardening1764410000000,
  FiniteNumbers1764405000000,
  Performance1764430000000,
  Projects1764450000000,
  GoingLive1764470000001,
];
