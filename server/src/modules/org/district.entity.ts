import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A district government (区/县): the tenant. Every other row belongs to exactly one. */
@Entity('district')
export class District {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'char', length: 6 }) code!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column({ type: 'jsonb', default: {} }) settings!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
