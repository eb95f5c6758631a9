import { IsString, MaxLength, MinLength } from 'class-validator';

export class CreateReportDto {
  /** What the report is about. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  title: string;
}
