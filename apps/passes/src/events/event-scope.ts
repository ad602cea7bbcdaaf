export { EventScope, inScope } from '@passway/common';
