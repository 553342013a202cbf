import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 包保: a steward serves an enterprise from startsOn until endsOn (null = still serving); ended rows are history. */
@Entity('assignment')
export class Assignment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'district_id', type: 'uuid' }) districtId!: string;
  @Column({ name: 'steward_id', type: 'uuid' }) stewardId!: string;
  @Column({ name: 'enterprise_id', type: 'uuid' }) enterpriseId!: string;
  @Column({ name: 'starts_on', type: 'date' }) startsOn!: string;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endsOn!: string | null;
  @Column({ type: 'varchar', length: 256, nullable: true }) note!: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy!: string | null;
  @Column({ name: 'ended_by', type: 'uuid', nullable: true }) endedBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
