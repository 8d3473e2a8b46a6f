import type { UserError } from '../server/temporal-orders';
import { builder } from './builder';

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'A business outcome the caller can act on; `code` is stable, `message` is for people.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'Path of the input field at fault, if one is.',
    }),
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

export function inputError(field: string[], message: string): UserError {
  return { field, message, code: 'INVALID_INPUT' };
}
