import { z } from 'zod';

/**
 * zod, as the contract's schemas use it. In the browser, zod compiles object
 * parsers with `new Function` once it has probed that eval works, and the
 * pages' Content-Security-Policy forbids eval (docs/security.md): the probe is
 * reported as a violation. So the browser runs zod without that compiler; the
 * server keeps it. This must run before any schema is built, hence its own module.
 */
if (typeof window !== 'undefined') z.config({ jitless: true });

export { z };
