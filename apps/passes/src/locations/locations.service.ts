import { Injectable } from '@nestjs/common';
import { CreateLocationDto, LocationView } from '@passway/common';
import { TenantCatalog } from '../catalog/tenant-catalog';
import { LocationEntity } from './entities/location.entity';
import { LocationsRepository } from './locations.repository';

@Injectable()
export class LocationsService extends TenantCatalog<LocationEntity, LocationView, CreateLocationDto> {
  constructor(locations: LocationsRepository) {
    super(locations, 'Location');
  }

  protected toView(location: LocationEntity): LocationView {
    return {
      id: location.id,
      name: location.name,
      address: location.address ?? null,
      timezone: location.timezone ?? null,
      createdAt: location.createdAt.toISOString(),
      updatedAt: location.updatedAt.toISOString(),
    };
  }
}
