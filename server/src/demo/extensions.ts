import type { DataSource } from 'typeorm';
import { seedVisitDemo } from '../modules/visits/demo';
import { seedTicketDemo } from '../modules/tickets/demo';
import { seedProjectDemo } from '../modules/projects/demo';
import { seedPolicyDemo } from '../modules/policies/demo';

/** Demo data of feature modules (tickets, visits…), loaded after the organisation in this order. */
export const demoExtensions: { name: string; seed: (db: DataSource, districtId: string) => Promise<unknown> }[] = [
  { name: 'visits', seed: (db, districtId) => seedVisitDemo(db, districtId) },
  { name: 'tickets', seed: (db, districtId) => seedTicketDemo(db, districtId) },
  { name: 'projects', seed: (db, districtId) => seedProjectDemo(db, districtId) },
  { name: 'policies', seed: (db, districtId) => seedPolicyDemo(db, districtId) },
];
