import { PassView } from '../../contracts/passes/pass.view';

export type PassUpdatedValue = PassView;
