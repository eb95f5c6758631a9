import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EpochMsColumn } from '#src/platform/index.js';

/** One saved report. Registered with `TypeOrmModule.forFeature`; the app loads it through `autoLoadEntities`. */
@Entity('example_reports')
export class Report {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ name: 'created_by', type: 'integer' })
  createdBy: number;

  @EpochMsColumn({ name: 'created_at' })
  createdAt: number;
}
