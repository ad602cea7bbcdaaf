import { ClientView } from '../../contracts/clients/client.view';

export class ClientCreatedKey {
  clientId: string;
}

export type ClientCreatedValue = ClientView;
