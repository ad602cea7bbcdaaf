import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export const MAX_DEVICE_EVENTS = 20;

export class CreateDeviceDto {
  @ApiProperty({ maxLength: 100, example: 'Door A, phone 2' })
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'The events the device may scan (1 to 20)' })
  @IsArray({ message: 'events must be a list of event ids' })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(MAX_DEVICE_EVENTS)
  @IsUUID('all', { each: true, message: 'events must be event ids' })
  events: string[];
}

export class PairDeviceDto {
  @ApiProperty({ description: 'The token from the pairing link (after #pair=)' })
  @IsString({ message: 'token must be a string' })
  @Matches(/^pwp_[A-Za-z0-9_-]{43}$/, { message: 'token is not a pairing token' })
  token: string;

  @ApiPropertyOptional({ maxLength: 40, example: '1.0.0' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  appVersion?: string;
}

export const DEVICE_STATES = ['pending', 'paired', 'expired', 'revoked'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export class DeviceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String], format: 'uuid' }) eventIds: string[];
  @ApiProperty({ enum: DEVICE_STATES, description: 'pending: link not used yet; expired: link unused past its 10 minutes' })
  state: DeviceState;
  @ApiProperty({ type: String, format: 'date-time' }) pairingExpiresAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pairedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSeenAt: string | null;
  @ApiProperty({ type: String, nullable: true }) appVersion: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}

export class DevicePairingDto {
  @ApiProperty({
    description: 'Open on the phone; works once, for 10 minutes. The token is in the fragment, so it stays out of server logs',
  })
  url: string;
  @ApiProperty({ description: 'The same link as a QR code (SVG)' }) qrSvg: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: string;
}

export class CreatedDeviceDto {
  @ApiProperty({ type: DeviceDto }) device: DeviceDto;
  @ApiProperty({ type: DevicePairingDto }) pairing: DevicePairingDto;
}

export class DeviceEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status: string;
}

export class DeviceProfileDto {
  @ApiProperty({ type: DeviceDto }) device: DeviceDto;
  @ApiProperty({ description: "The organisation's name" }) tenantName: string;
  @ApiProperty({ type: [DeviceEventDto] }) events: DeviceEventDto[];
}

export class PairedDeviceDto extends DeviceProfileDto {
  @ApiProperty({ description: "The device's scanner key: shown once, kept on the device" }) apiKey: string;
}
