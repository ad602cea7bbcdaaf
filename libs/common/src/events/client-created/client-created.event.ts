import { ClientView } from '../../contracts/clients/client.view';

export type ClientCreatedValue = ClientView;
