import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** 企业: identified by its 统一社会信用代码; location stored in WGS-84 (see docs/adr/0003). */
@Entity('enterprise')
export class Enterprise {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'district_id', type: 'uuid' }) districtId!: string;
  @Column({ name: 'area_id', type: 'uuid' }) areaId!: string;
  @Column({ type: 'varchar', length: 128 }) name!: string;
  @Column({ name: 'credit_code', type: 'char', length: 18 }) creditCode!: string;
  @Column({ type: 'varchar', length: 256, nullable: true }) address!: string | null;
  @Column({ type: 'double precision', nullable: true }) lat!: number | null;
  @Column({ type: 'double precision', nullable: true }) lng!: number | null;
  @Column({ name: 'location_confirmed', type: 'boolean', default: false }) locationConfirmed!: boolean;
  @Column({ type: 'varchar', length: 64, nullable: true }) industry!: string | null;
  @Column({ type: 'varchar', length: 16, default: 'below' }) scale!: 'above' | 'below';
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags!: string[];
  @Column({ name: 'contact_name', type: 'varchar', length: 64, nullable: true }) contactName!: string | null;
  @Column({ name: 'contact_phone', type: 'varchar', length: 20, nullable: true }) contactPhone!: string | null;
  @Column({ type: 'integer', default: 1 }) version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
