import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder';
import './user-error';
import './order';
import './order-connection';
import './order-actions';
import './product';
import './order-status-event';
import { answerUnavailableInPayloads } from './unavailable';

export const schema = answerUnavailableInPayloads(lexicographicSortSchema(builder.toSchema()));
