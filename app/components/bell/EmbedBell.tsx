'use client';

import { isStaffRole, type AccountRole } from '../../../lib/domain/identity';
import { Bell } from './Bell';

/** The bell in the embed's frame: on the discussion's live connection; its links open in the host's window. */
export function EmbedBell({ role }: { role: AccountRole }) {
  return <Bell staff={isStaffRole(role)} socket="page" framed />;
}
