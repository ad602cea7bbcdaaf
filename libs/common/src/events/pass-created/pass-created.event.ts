import { PassView } from '../../contracts/passes/pass.view';

export class PassCreatedKey {
  passId: string;
}

/** The pass as `GET /passes/:id` returns it. */
export type PassCreatedValue = PassView;
