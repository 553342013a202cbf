import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AREA_KINDS = ['township', 'street', 'park', 'other'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** 属地: a 乡镇, 街道 or 园区 inside a district; requests route by it. */
@Entity('area')
@Index('uq_area_code', ['districtId', 'code'], { unique: true })
export class Area {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'district_id', type: 'uuid' }) districtId!: string;
  @Column({ type: 'varchar', length: 12 }) code!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: AreaKind;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
