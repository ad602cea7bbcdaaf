import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CreateLocationDto, LocationView } from '@passway/common';
import { DataSource } from 'typeorm';
import { TenantCatalog } from '../catalog/tenant-catalog';
import { LocationEntity } from './entities/location.entity';

@Injectable()
export class LocationsService extends TenantCatalog<LocationEntity, LocationView, CreateLocationDto> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, LocationEntity, 'Location');
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
