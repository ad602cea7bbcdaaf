import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_STATUSES, SUBSCRIBABLE_EVENT_TYPES } from '@passway/common';

/** Response shapes of /webhooks for the OpenAPI document (WebhookPresenter and the webhooks service produce them). */

export class WebhookDto {
  @ApiProperty({ example: 'wh_5f0c2a9e4b1d7c3a8e6f1b2d' }) id: string;
  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES }) event: string;
  @ApiProperty({ example: 'https://example.com/hook' }) targetUrl: string;
  @ApiProperty() active: boolean;
  @ApiPropertyOptional({ description: 'Only on a webhook the service disabled after failing for days' }) disabledReason?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_kJ2t9o8oI3m0o1mGn9Qm4yX1Q2C0fQ3sWwK7bH0lGxE=', description: 'Signing secret; shown only in this answer' })
  secret: string;
}

export class WebhookDeletedDto {
  @ApiProperty({ example: true }) success: boolean;
}

class DeliveryAttemptDto {
  @ApiProperty() attempt: number;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 500' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'The start of the response body (500 characters)' }) responseExcerpt:
    string | null;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The webhook-id header of every attempt' }) messageId: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ enum: SUBSCRIBABLE_EVENT_TYPES }) event: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attemptCount: number;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRetryAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ description: 'The JSON body every attempt POSTs' }) request: string;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attempts: DeliveryAttemptDto[];
}
