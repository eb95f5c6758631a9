import { Column, ColumnOptions } from 'typeorm';

/**
 * Times are stored as UTC epoch milliseconds in a BIGINT: the same on SQLite
 * and MySQL, no time-zone settings to get wrong, and cheap to compare.
 * mysql2 returns BIGINT as a string, hence the transformer.
 */
export function EpochMsColumn(options: Pick<ColumnOptions, 'name' | 'nullable'>) {
  return Column({
    type: 'bigint',
    ...options,
    transformer: {
      to: (value: number | null | undefined) => value,
      from: (value: string | number | null) => (value === null ? null : Number(value)),
    },
  });
}
