import type { AuthClient } from './auth-client.js';
import type { components } from './openapi.js';

type Schemas = components['schemas'];
export type Webhook = Schemas['WebhookViewDto'];
export type CreatedWebhook = Schemas['CreatedWebhookDto'];
export type CreateWebhookInput = Schemas['CreateWebhookDto'];
export type UpdateWebhookInput = Schemas['UpdateWebhookDto'];
export type RotatedWebhookSecret = Schemas['RotatedSecretDto'];
export type QueuedWebhookDelivery = Schemas['QueuedDeliveryDto'];
export type WebhookAttempt = Schemas['WebhookAttemptViewDto'];

export interface WebhookAttemptPage {
  items: WebhookAttempt[];
  page: number;
  page_size: number;
  total: number;
}

/** The admin API of SPEC §16, for a client signed in as an admin. Errors throw `GatehouseError` like every call. */
export interface WebhooksAdmin {
  /** Subscribes a URL; the answer's `secret` (`whsec_…`) is shown this once. */
  create(input: CreateWebhookInput): Promise<CreatedWebhook>;
  list(): Promise<Webhook[]>;
  update(id: number, input: UpdateWebhookInput): Promise<Webhook>;
  remove(id: number): Promise<void>;
  /** A new secret, shown once; the old one keeps signing beside it for 24 hours. */
  rotateSecret(id: number): Promise<RotatedWebhookSecret>;
  /** Queues a `webhook.test` event, whatever the endpoint's filter. */
  test(id: number): Promise<QueuedWebhookDelivery>;
  /** One row per attempt, newest first. */
  deliveries(id: number, page?: { page?: number; page_size?: number }): Promise<WebhookAttemptPage>;
  /** A new attempt of a delivered or failed delivery, with the same `webhook-id`. */
  redeliver(id: number, deliveryId: number): Promise<QueuedWebhookDelivery>;
}

/** `createWebhooksAdmin(client).list()`: typed calls over the client's `request`, which refreshes tokens as needed. */
export function createWebhooksAdmin(client: Pick<AuthClient, 'request'>): WebhooksAdmin {
  const base = '/admin/webhooks';
  return {
    create: (input) => client.request('POST', base, input),
    list: () => client.request('GET', base),
    update: (id, input) => client.request('PATCH', `${base}/${id}`, input),
    remove: async (id) => {
      await client.request<null>('DELETE', `${base}/${id}`);
    },
    rotateSecret: (id) => client.request('POST', `${base}/${id}/rotate-secret`),
    test: (id) => client.request('POST', `${base}/${id}/test`),
    deliveries: (id, { page = 1, page_size = 20 } = {}) =>
      client.request('GET', `${base}/${id}/deliveries?page=${page}&page_size=${page_size}`),
    redeliver: (id, deliveryId) => client.request('POST', `${base}/${id}/deliveries/${deliveryId}/redeliver`),
  };
}
