'use client';

import { createContext, useContext } from 'react';
import type { SignedIn } from './useReaderState';

/** Who writes in the page's comment boxes (useReaderState), and whether the page is the embed's frame (sign-in goes through a popup there). */
export interface Commenter {
  account: SignedIn | null;
  framed: boolean;
  /** The site offers commenters a way to sign in. */
  offered: boolean;
  /** The page's own address, where a sign-in leads back to. */
  path: string;
}

export const CommenterContext = createContext<Commenter>({ account: null, framed: false, offered: false, path: '/' });

export const useCommenter = () => useContext(CommenterContext);
