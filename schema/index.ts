import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder';
import './user-error';
import './order';
import './product';
import './order-status-event';

export const schema = lexicographicSortSchema(builder.toSchema());
