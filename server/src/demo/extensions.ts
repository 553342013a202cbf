import type { DataSource } from 'typeorm';
import { seedVisitDemo } from '../modules/visits/demo';

/** Demo data of feature modules (tickets, visits…), loaded after the organisation in this order. */
export const demoExtensions: { name: string; seed: (db: DataSource, districtId: string) => Promise<unknown> }[] = [
  { name: 'visits', seed: (db, districtId) => seedVisitDemo(db, districtId) },
];
