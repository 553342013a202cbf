import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 区直部门: handles the requests routed to it. */
@Entity('department')
export class Department {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'district_id', type: 'uuid' }) districtId!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ name: 'short_name', type: 'varchar', length: 32, nullable: true }) shortName!: string | null;
  @Column({ type: 'text', nullable: true }) functions!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
