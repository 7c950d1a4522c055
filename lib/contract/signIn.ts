import { AccountSchema } from './api';
import { z } from './zod';

/** `POST /api/auth/email-link`: where to send a sign-in link, and where to go once signed in. */
export const EmailLinkRequestSchema = z.object({
  email: z.string().max(320),
  /** A path on this site (anything else leads to the front page). */
  next: z.string().max(2048).optional(),
});

/** `POST /api/auth/email-link/verify`: the token of a link, for a client that follows links itself. */
export const EmailLinkVerifySchema = z.object({ token: z.string().max(200) });

/** `POST /api/auth/frame-session`: the one-time code the sign-in popup handed the embed's frame. */
export const FrameSessionRequestSchema = z.object({ code: z.string().max(200) });

export const SignInMethodsSchema = z.object({
  email: z.boolean(),
  oidc: z.array(z.object({ id: z.string(), label: z.string() })),
  sso: z.boolean(),
  password: z.boolean(),
});

/** `GET /api/auth/session`: who is signed in in this browser (any role), and the ways to sign in here. */
export const SessionResponseSchema = z.object({ account: AccountSchema.nullable(), methods: SignInMethodsSchema });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

/** `POST /api/auth/frame-code`: a code for the embed's frame, valid `expiresIn` seconds, once. */
export const FrameCodeResponseSchema = z.object({ code: z.string(), expiresIn: z.number().int() });

export const AccountResponseSchema = z.object({ account: AccountSchema });
