import { z } from './zod';
import { EMAIL_CHOICES, EMAIL_CHOICES_BY_KIND, EMAIL_KINDS, type EmailChoice, type EmailKind } from '../domain/notifications';

/** Email for notices (docs/email.md): the shapes of /api/me/notification-settings, /api/me/email and the admins' dead letters. */

export const EmailChoiceSchema = z.enum(EMAIL_CHOICES);

/** Each kind with the choices it allows (lib/domain/notifications.ts EMAIL_CHOICES_BY_KIND), all optional: what is left out stays. */
export const EmailChoicesSchema = z.strictObject(
  Object.fromEntries(EMAIL_KINDS.map((kind) => [kind, z.enum(EMAIL_CHOICES_BY_KIND[kind] as [EmailChoice, ...EmailChoice[]], { error: `expected one of ${EMAIL_CHOICES_BY_KIND[kind].join(', ')}` }).optional()])) as {
    [K in EmailKind]: z.ZodOptional<z.ZodEnum<{ [C in EmailChoice]: C }>>;
  },
);

/** `PUT /api/me/notification-settings`. */
export const NotificationSettingsUpdateSchema = z.strictObject({ choices: EmailChoicesSchema });

export const NotificationSettingsSchema = z.object({
  /** False without SMTP_URL: nothing is mailed (the choices are kept for when it is on). */
  emailEnabled: z.boolean(),
  email: z.object({
    /** The address mail goes to: only a verified one. */
    address: z.string().nullable(),
    verified: z.boolean(),
    /** An address waiting for its link to be followed. */
    pending: z.string().nullable(),
  }),
  /** Every kind this person may choose for, with their choice (or the default). */
  choices: z.partialRecord(z.enum(EMAIL_KINDS), EmailChoiceSchema),
  /** The choices each of those kinds allows. */
  allowed: z.partialRecord(z.enum(EMAIL_KINDS), z.array(EmailChoiceSchema)),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;
export const NotificationSettingsResponseSchema = z.object({ settings: NotificationSettingsSchema });

/** `PUT /api/me/email`: the address to mail; a link to confirm it is sent there. */
export const EmailAddressRequestSchema = z.strictObject({ email: z.string({ error: 'must be text' }).max(320) });
export const EmailRequestedSchema = z.object({ pending: z.string() });

/** One mail given up (dead), as admins see it: never its text (it may be someone's private notice). */
export const DeadLetterSchema = z.object({
  id: z.string(),
  to: z.string(),
  kind: z.string(),
  subject: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
export const DeadLettersResponseSchema = z.object({ mails: z.array(DeadLetterSchema) });
