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
import { Indicators1764480000000 } from '../../migrations/1764480000000-Indicators';
import { RequestIds1764510000000 } from '../../migrations/1764510000000-RequestIds';
import { MeetingTaskTicket1764460000000 } from '../../migrations/1764460000000-MeetingTaskTicket';
import { QueueCounts1764520000001 } from '../../migrations/1764520000001-QueueCounts';
import { QueueCounters1764630000000 } from '../../migrations/1764630000000-QueueCounters';
import { WorkStates1764490000001 } from '../../migrations/1764490000001-WorkStates';
import { OpenVisits1764490000002 } from '../../migrations/1764490000002-OpenVisits';
import { Policies1764500000001 } from '../../migrations/1764500000001-Policies';
import { Surveys1764500000002 } from '../../migrations/1764500000002-Surveys';
import { GoingLive1764470000001 } from '../../migrations/1764470000001-GoingLive';
import { PolicyQuestions1764500000010 } from '../../migrations/1764500000010-PolicyQuestions';
import { VisitReviewRejected1764490000010 } from '../../migrations/1764490000010-VisitReviewRejected';
import { IndicatorRollup1764550000000 } from '../../migrations/1764550000000-IndicatorRollup';
import { EverydayTools1764580000000 } from '../../migrations/1764580000000-EverydayTools';
import { VisitMonthRollup1764640000000 } from '../../migrations/1764640000000-VisitMonthRollup';
import { CadenceCounts1764800000000 } from '../../migrations/1764800000000-CadenceCounts';
import { OverdueListIndex1764810000000 } from '../../migrations/1764810000000-OverdueListIndex';
import { IndicatorLive1764900000000 } from '../../migrations/1764900000000-IndicatorLive';
import { TicketStatLive1765000000000 } from '../../migrations/1765000000000-TicketStatLive';
import { ClockDueIndex1765100000000 } from '../../migrations/1765100000000-ClockDueIndex';
import { IndicatorLiveNoWriterLock1765200000000 } from '../../migrations/1765200000000-IndicatorLiveNoWriterLock';
import { VisitLocatedIndex1765300000000 } from '../../migrations/1765300000000-VisitLocatedIndex';
import { DropTicketUpdatedIndex1765400000000 } from '../../migrations/1765400000000-DropTicketUpdatedIndex';
import { TicketEnterpriseYear1765500000000 } from '../../migrations/1765500000000-TicketEnterpriseYear';

/**
 * Every migration, in timestamp order (TypeORM runs pending ones in that order whatever the list says; keeping the
 * list sorted makes its last entry the schema version). Never edit one that has shipped.
 */
export const migrations = [
  Foundation1764100000000,
  Notifications1764150000000,
  Tickets1764200000000,
  Visits1764300000000,
  VisitTicketLink1764300000001,
  Scopes1764400000000,
  FiniteNumbers1764405000000,
  AuthHardening1764410000000,
  Performance1764430000000,
  Projects1764450000000,
  MeetingTaskTicket1764460000000,
  GoingLive1764470000001,
  Indicators1764480000000,
  WorkStates1764490000001,
  OpenVisits1764490000002,
  Policies1764500000001,
  Surveys1764500000002,
  VisitReviewRejected1764490000010,
  PolicyQuestions1764500000010,
  RequestIds1764510000000,
  QueueCounts1764520000001,
  IndicatorRollup1764550000000,
  EverydayTools1764580000000,
  QueueCounters1764630000000,
  VisitMonthRollup1764640000000,
  CadenceCounts1764800000000,
  OverdueListIndex1764810000000,
  IndicatorLive1764900000000,
  TicketStatLive1765000000000,
  ClockDueIndex1765100000000,
  IndicatorLiveNoWriterLock1765200000000,
  VisitLocatedIndex1765300000000,
  DropTicketUpdatedIndex1765400000000,
  TicketEnterpriseYear1765500000000,
];
