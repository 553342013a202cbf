import type { DataSource } from 'typeorm';

/** Demo data of feature modules (tickets, visits…), loaded after the organisation in this order. */
export const demoExtensions: { name: string; seed: (db: DataSource, districtId: string) => Promise<unknown> }[] = [];
