import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, RequestId } from '../auth/principal';
import { KeyRevocations } from '../auth/key-revocations';
import { Access, EVERYONE, MANAGERS } from '../auth/route-access';
import { API_PREFIX } from '../config';
import { CreateDeviceDto, CreatedDeviceDto, DeviceDto, DeviceProfileDto, PairDeviceDto, PairedDeviceDto } from './dto/device.dto';
import { DevicesService } from './devices.service';
import { ApiErrorResponse } from '../openapi/api-error-response';

/** Door devices: pairing links, the paired phones, revocation (docs/door.md). */
@ApiTags('devices')
@ApiBearerAuth()
@Access({ roles: MANAGERS, rateGroup: 'manage' })
@Controller(`${API_PREFIX}/devices`)
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly revocations: KeyRevocations,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedDeviceDto, description: 'The device and its one-time pairing link (10 minutes)' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateDeviceDto, @RequestId() requestId?: string) {
    return this.devices.create(principal, body, requestId);
  }

  @Get()
  @ApiOkResponse({ type: [DeviceDto], description: 'Devices with their state, last-seen time and app version, newest first' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.devices.list(principal);
  }

  /** The phone redeems its pairing link here; no key yet, so the route is public (rate-limited per IP). */
  @Public()
  @Post('pair')
  @HttpCode(200)
  @ApiOkResponse({
    type: PairedDeviceDto,
    description: "The device's scanner key (shown once) and its events",
  })
  @ApiErrorResponse(
    HttpStatus.GONE,
    'The pairing link was used or has expired, or the device was revoked (pairing_used, pairing_expired, device_revoked)',
  )
  pair(@Body() body: PairDeviceDto) {
    return this.devices.pair(body);
  }

  @Access({ roles: EVERYONE, rateGroup: 'manage' })
  @Get('me')
  @ApiOkResponse({
    type: DeviceProfileDto,
    description: 'The calling device, its organisation and events (404 for a key that is not a device)',
  })
  me(@CurrentPrincipal() principal: Principal, @RequestId() requestId?: string) {
    return this.devices.profile(principal, requestId);
  }

  @Delete(':deviceId')
  @ApiOkResponse({ type: DeviceDto, description: 'Revoked: its key is refused by every gateway at once' })
  async revoke(@CurrentPrincipal() principal: Principal, @Param('deviceId') id: string) {
    const { device, keyHash } = await this.devices.revoke(principal, id);
    if (keyHash) await this.revocations.broadcast(keyHash);
    return device;
  }
}
