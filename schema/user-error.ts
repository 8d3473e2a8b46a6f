import type { UserError } from '../common/outcomes';
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
