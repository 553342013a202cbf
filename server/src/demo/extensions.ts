import type { DataSource } from 'typeorm';
import { seedVisitDemo } from './visit-demo';
import { seedTicketDemo } from './ticket-demo';
import { seedProjectDemo } from './project-demo';
import { seedPolicyDemo } from './policy-demo';

/** Demo data of feature modules (tickets, visits…), loaded after the organisation in this order. */
export const demoExtensions: { name: string; seed: (db: DataSource, districtId: string) => Promise<unknown> }[] = [
  { name: 'visits', seed: (db, districtId) => seedVisitDemo(db, districtId) },
  { name: 'tickets', seed: (db, districtId) => seedTicketDemo(db, districtId) },
  { name: 'projects', seed: (db, districtId) => seedProjectDemo(db, districtId) },
  { name: 'policies', seed: (db, districtId) => seedPolicyDemo(db, districtId) },
];
