import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@guanjia/shared';

/** Anyone who logs in: enterprise contact, steward, department staff, coordinator, leader, admin (several roles allowed). */
@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'district_id', type: 'uuid', nullable: true }) districtId!: string | null;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) username!: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) phone!: string | null;
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false }) passwordHash!: string | null;
  @Column({ type: 'text', array: true }) roles!: Role[];
  @Column({ type: 'varchar', length: 64, nullable: true }) title!: string | null;
  @Column({ name: 'enterprise_id', type: 'uuid', nullable: true }) enterpriseId!: string | null;
  @Column({ name: 'department_id', type: 'uuid', nullable: true }) departmentId!: string | null;
  @Column({ name: 'wechat_openid', type: 'varchar', length: 64, nullable: true, select: false }) wechatOpenid!: string | null;
  @Column({ name: 'failed_logins', type: 'integer', default: 0 }) failedLogins!: number;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ type: 'boolean', default: false }) disabled!: boolean;
  @Column({ type: 'integer', default: 1 }) version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
