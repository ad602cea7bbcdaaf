import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsString } from 'class-validator';

/** What Apple's devices send to `POST /wallet/v1/log`: problems they met with our web service (the body limit bounds it; 20 lines are logged). */
export class DeviceLogDto {
  @ApiProperty({ type: [String], example: ['[2026-12-06 10:00:00 +0000] Register task … failed'] })
  @IsArray({ message: 'logs must be an array of strings' })
  @IsString({ each: true, message: 'logs must be an array of strings' })
  logs: string[];
}
