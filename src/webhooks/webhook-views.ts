import type { CreatedWebhookDto, WebhookViewDto } from '#src/webhooks/dto/webhook-view.dto.js';
import type { WebhookEndpoint } from '#src/webhooks/entities/webhook-endpoint.entity.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function endpointView(endpoint: WebhookEndpoint): WebhookViewDto {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: JSON.parse(endpoint.events) as string[],
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    created_at: iso(endpoint.createdAt),
    updated_at: iso(endpoint.updatedAt),
  };
}

/** The one answer that carries the secret, in clear: the row only holds it sealed. */
export const createdView = (endpoint: WebhookEndpoint, secret: string): CreatedWebhookDto => ({
  ...endpointView(endpoint),
  secret,
});
